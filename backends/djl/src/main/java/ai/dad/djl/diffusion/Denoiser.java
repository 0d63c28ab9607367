package ai.dad.djl.diffusion;

import ai.djl.ndarray.NDArray;

/** eps_theta(x_t, t): predicts the noise in {@code x_t} ({@code N x 3 x H x W}) at timesteps {@code t} (int64 {@code N}). */
@FunctionalInterface
public interface Denoiser {
    NDArray predictNoise(NDArray x, NDArray t);
}

package ai.dad.djl;

import ai.djl.ndarray.NDArray;

/** The two trained networks of a model, whatever their weight format. Thread-safe. */
public interface Networks extends AutoCloseable {

    /** eps_theta(x, t): x {@code N x 3 x H x W}, t int64 {@code N}. */
    NDArray predictNoise(NDArray x, NDArray t);

    /** Anomaly map {@code N x 1 x H x W} in [0, 1] of the {@code N x 6 x H x W} input [image, reconstruction]. */
    NDArray segment(NDArray imageAndReconstruction);

    @Override
    void close();
}

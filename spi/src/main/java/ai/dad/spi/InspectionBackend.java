package ai.dad.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One loaded model, split into DiffusionAD's three stages so that callers can time, batch or
 * replace each of them.
 *
 * <p>Images are float32 {@code N x 3 x H x W} in [0, 1] at the model's image size. Every array
 * returned is attached to the manager of the {@code images} argument, so the caller's scope
 * frees it. Implementations must be safe to call from several threads at once.
 */
public interface InspectionBackend extends AutoCloseable {

    /** The manifest this model was opened from. */
    ModelManifest manifest();

    /** A manager on the backend's device; create input arrays from it (or a sub-manager). */
    NDManager manager();

    /**
     * Reconstructs normal-looking images from {@code images} ({@code N x 3 x H x W}, values in
     * [-1, 1] after clamping, as in the reference).
     */
    NDArray reconstruct(NDArray images, ReconstructionSpec spec, NoiseSource noise);

    /** Anomaly map {@code N x 1 x H x W} in [0, 1] of {@code images} against their reconstructions. */
    NDArray segment(NDArray images, NDArray reconstructions);

    /** Image scores ({@code N}) from anomaly maps: the mean of the top-k map values. */
    NDArray fuse(NDArray maps);

    /**
     * The noise {@link #inspect(NDArray)} uses: seeded with the manifest's seed. A backend may
     * return an equivalent source that is cheaper to draw from (the same values).
     */
    default NoiseSource seededNoise() {
        return NoiseSource.seeded(manifest().inference.seed);
    }

    /** The three stages with the manifest's inference settings and {@link #seededNoise()}. */
    default Inspection inspect(NDArray images) {
        NDArray reconstruction = reconstruct(images, manifest().inference.spec(), seededNoise());
        NDArray map = segment(images, reconstruction);
        return new Inspection(reconstruction, map, fuse(map));
    }

    /** Frees the model's native memory. */
    @Override
    void close();

    /** What {@link #inspect(NDArray)} computes for a batch. */
    record Inspection(NDArray reconstruction, NDArray map, NDArray scores) {}
}

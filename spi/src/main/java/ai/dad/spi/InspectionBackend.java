package ai.dad.spi;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One loaded model, split into DiffusionAD's three stages so that callers can time, batch or
 * replace each of them, with one engine-free entry on top ({@link #inspect(PixelBatch)}: floats
 * in, floats out) for callers that only want the answer, such as the service.
 *
 * <p>Stage arguments are float32 {@code N x 3 x H x W} images in [0, 1] at the model's image
 * size. Every array a stage returns is attached to the manager of its {@code images} argument,
 * so the caller's scope frees it. Implementations must be safe to call from several threads at
 * once.
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
     * The noise {@link #inspect(PixelBatch)} uses: seeded with the manifest's seed. A backend may
     * return an equivalent source that is cheaper to draw from (the same values).
     */
    default NoiseSource seededNoise() {
        return NoiseSource.seeded(manifest().inference.seed);
    }

    /** Scores and maps with the manifest's settings and {@link #seededNoise()}, as the service asks for them. */
    default ScoredBatch inspect(PixelBatch batch) {
        return inspect(batch, manifest().inference.spec(), seededNoise(), false);
    }

    /**
     * The three stages in order (reconstruct, segment, fuse) on a batch of plain pixels; every
     * array made on the way is freed before this returns. The only place the stages are
     * composed: the service, {@code dad eval}, calibration and the benchmarks all come here.
     * The reconstructions are copied out only when {@code withReconstructions} (to draw them);
     * the service does not need them.
     */
    default ScoredBatch inspect(PixelBatch batch, ReconstructionSpec spec, NoiseSource noise, boolean withReconstructions) {
        try (NDManager call = manager().newSubManager()) {
            NDArray images = batch.toArray(call);
            NDArray reconstruction = reconstruct(images, spec, noise);
            NDArray map = segment(images, reconstruction);
            return new ScoredBatch(fuse(map).toFloatArray(), map.toFloatArray(),
                    withReconstructions ? reconstruction.clip(0, 1).toFloatArray() : null, batch.size());
        }
    }

    /** Where the model runs, for logs and status pages: {@code cpu}, {@code gpu0}, ... */
    default String device() {
        Device device = manager().getDevice();
        return device.getDeviceId() >= 0 ? device.getDeviceType() + device.getDeviceId() : device.getDeviceType();
    }

    /** Frees the model's native memory. */
    @Override
    void close();
}

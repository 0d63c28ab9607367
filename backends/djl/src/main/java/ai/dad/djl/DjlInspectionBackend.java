package ai.dad.djl;

import ai.dad.djl.diffusion.Reconstructor;
import ai.dad.djl.nn.Scoped;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.ReconstructionSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** DiffusionAD on DJL: reconstruct with the U-Net, segment with the segmentation head, fuse by top-k mean. */
public final class DjlInspectionBackend implements InspectionBackend {
    private final ModelManifest manifest;
    private final NDManager manager;
    private final Networks networks;
    private final Reconstructor reconstructor;
    private final CachedSeededNoise noise;

    /** Takes ownership of {@code manager} and {@code networks}; {@link #close()} frees both. */
    public DjlInspectionBackend(ModelManifest manifest, NoiseSchedule schedule, Networks networks, NDManager manager) {
        this.manifest = manifest;
        this.manager = manager;
        this.networks = networks;
        this.reconstructor = new Reconstructor(schedule, networks::predictNoise);
        this.noise = new CachedSeededNoise(manifest.inference.seed);
    }

    @Override
    public ModelManifest manifest() {
        return manifest;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    public Networks networks() {
        return networks;
    }

    public Reconstructor reconstructor() {
        return reconstructor;
    }

    @Override
    public NDArray reconstruct(NDArray images, ReconstructionSpec spec, NoiseSource noise) {
        checkImages(images);
        return reconstructor.reconstruct(images, spec, noise);
    }

    /**
     * The manifest's seeded noise, drawn once per model instead of once per call
     * ({@link CachedSeededNoise}: the same values).
     */
    @Override
    public NoiseSource seededNoise() {
        return noise;
    }

    @Override
    public NDArray segment(NDArray images, NDArray reconstructions) {
        checkImages(images);
        if (!reconstructions.getShape().equals(images.getShape())) {
            throw new IllegalArgumentException("reconstructions " + reconstructions.getShape()
                    + " do not match images " + images.getShape());
        }
        return Scoped.result(() -> networks.segment(images.concat(reconstructions, 1)));
    }

    @Override
    public NDArray fuse(NDArray maps) {
        return topKMean(maps, manifest.inference.topK);
    }

    /** Mean of the k largest values of each map (k capped at the map's size). */
    public static NDArray topKMean(NDArray maps, int k) {
        long n = maps.getShape().get(0);
        return Scoped.result(() -> {
            NDArray flat = maps.reshape(n, -1);
            int kk = (int) Math.min(k, flat.getShape().get(1));
            return flat.topK(kk, 1, true, false).get(0).mean(new int[] {1});
        });
    }

    @Override
    public void close() {
        networks.close();
        manager.close();
    }

    private void checkImages(NDArray images) {
        int size = manifest.architecture.imageSize;
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != size || s.get(3) != size) {
            throw new IllegalArgumentException("images must be N x 3 x " + size + " x " + size + ", got " + s);
        }
    }
}

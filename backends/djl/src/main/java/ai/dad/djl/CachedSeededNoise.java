package ai.dad.djl;

import ai.dad.spi.NoiseSource;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link NoiseSource#seeded(long)} with the per-image noise of the first draws computed once
 * and kept: seeded noise depends only on the seed, the draw number and the image shape, so a
 * model that always uses the same seed need not draw ~50,000 Gaussians per draw and call
 * again. The arrays returned are the same, value for value, as the seeded source's. Draws from
 * {@link #CACHED_DRAWS} on (the iterative samplers' per-step noise) are passed through, so the
 * cache stays at two images' worth of floats per shape. Thread-safe.
 */
public final class CachedSeededNoise implements NoiseSource {
    /** Draws 0 and 1: n1 and n2 of one-step and norm-guided reconstruction. */
    public static final int CACHED_DRAWS = 2;

    private final NoiseSource seeded;
    private final ConcurrentHashMap<Key, float[]> cache = new ConcurrentHashMap<>();

    private record Key(int index, List<Long> perImage) {}

    public CachedSeededNoise(long seed) {
        this.seeded = NoiseSource.seeded(seed);
    }

    @Override
    public NDArray draw(NDManager manager, long batch, Shape perImage, int index) {
        if (index >= CACHED_DRAWS) {
            return seeded.draw(manager, batch, perImage, index);
        }
        float[] one = cache.computeIfAbsent(new Key(index, Arrays.stream(perImage.getShape()).boxed().toList()), k -> {
            try (NDManager scratch = manager.newSubManager()) {
                return seeded.draw(scratch, 1, perImage, index).toFloatArray();
            }
        });
        int n = Math.toIntExact(batch);
        float[] all = one;
        if (n != 1) {
            all = new float[n * one.length];
            for (int b = 0; b < n; b++) {
                System.arraycopy(one, 0, all, b * one.length, one.length);
            }
        }
        // create() copies the values into native memory; the cached array is never shared.
        return manager.create(all, new Shape(batch).addAll(perImage));
    }
}

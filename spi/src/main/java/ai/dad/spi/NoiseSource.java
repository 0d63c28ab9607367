package ai.dad.spi;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;

/**
 * The Gaussian noise a reconstruction adds, as numbered draws (draw 0 is n1, draw 1 is n2, the
 * iterative samplers continue with 2, 3, ...).
 *
 * <p>{@link #seeded(long)} gives every image in a batch the same noise, which depends only on
 * the seed and the draw number: the same image, model and seed therefore give the same result
 * whatever else shares its batch.
 */
@FunctionalInterface
public interface NoiseSource {

    /**
     * Returns noise of shape {@code batch x perImage} on {@code manager}. The caller owns the
     * returned array only if it was created by this call; supplied arrays stay the supplier's.
     */
    NDArray draw(NDManager manager, long batch, Shape perImage, int index);

    /** Standard normal noise from {@link Random#nextGaussian()}, reproducible on every JVM. */
    static NoiseSource seeded(long seed) {
        return (manager, batch, perImage, index) -> {
            Random random = new Random(seed * 0x9E3779B97F4A7C15L + index);
            int size = Math.toIntExact(perImage.size());
            float[] one = new float[size];
            for (int i = 0; i < size; i++) {
                one[i] = (float) random.nextGaussian();
            }
            float[] all = new float[Math.toIntExact(batch * size)];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(one, 0, all, b * size, size);
            }
            return manager.create(all, new Shape(batch).addAll(perImage));
        };
    }

    /** Noise given by the caller: draw i is {@code draws.get(i)}, already of batch shape. */
    static NoiseSource supplied(List<NDArray> draws) {
        return (manager, batch, perImage, index) -> {
            if (index >= draws.size()) {
                throw new IllegalStateException(
                        "reconstruction needs noise draw " + index + " but only " + draws.size()
                                + " were supplied");
            }
            NDArray noise = draws.get(index);
            Shape expected = new Shape(batch).addAll(perImage);
            if (!noise.getShape().equals(expected)) {
                throw new IllegalArgumentException(
                        "supplied noise " + index + " has shape " + noise.getShape()
                                + ", expected " + expected);
            }
            return noise;
        };
    }
}

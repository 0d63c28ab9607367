package ai.dad.spi;

import ai.dad.imaging.RgbImage;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * Model inputs as plain floats, the engine-free way into a backend
 * ({@link InspectionBackend#inspect(PixelBatch)}): {@code count} RGB images of {@code size x size}
 * in [0, 1], planar (channel, row, column) and packed one after another. The one place where
 * images are packed into a batch, for the service, the tools and the benchmarks alike.
 */
public record PixelBatch(float[] pixels, int count, int size) {

    public PixelBatch {
        if (count < 1 || size < 1 || pixels.length != (long) count * 3 * size * size) {
            throw new IllegalArgumentException("a batch of " + count + " images of " + size + " px needs "
                    + (long) count * 3 * size * size + " values, got " + pixels.length);
        }
    }

    /** Packs images that are already the model's {@code size x size}. */
    public static PixelBatch of(List<RgbImage> images, int size) {
        int plane = 3 * size * size;
        float[] pixels = new float[images.size() * plane];
        for (int i = 0; i < images.size(); i++) {
            RgbImage image = images.get(i);
            if (image.width() != size || image.height() != size) {
                throw new IllegalArgumentException("image " + i + " is " + image.width() + " x " + image.height()
                        + ", the model takes " + size + " x " + size);
            }
            image.copyTo(pixels, i * plane);
        }
        return new PixelBatch(pixels, images.size(), size);
    }

    /** {@code count} images of one grey level, e.g. to warm a model up. */
    public static PixelBatch filled(int count, int size, float value) {
        float[] pixels = new float[count * 3 * size * size];
        Arrays.fill(pixels, value);
        return new PixelBatch(pixels, count, size);
    }

    /** The batch as an {@code N x 3 x S x S} array attached to {@code manager}. */
    public NDArray toArray(NDManager manager) {
        return manager.create(pixels, new Shape(count, 3, size, size));
    }
}

package ai.dad.djl;

import ai.dad.imaging.RgbImage;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.PixelBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small models and inputs that keep the tests fast on two cores. */
public final class TestModels {
    private TestModels() {}

    /** A 32 px model: two U-Net levels with attention at 16 px, a narrow segmentation net. */
    public static ModelManifest micro() {
        ModelManifest m = new ModelManifest();
        ModelManifest.Architecture a = m.architecture;
        a.imageSize = 32;
        a.unetBase = 32;
        a.channelMults = new ArrayList<>(List.of(1, 2));
        a.attentionResolutions = new ArrayList<>(List.of(16));
        a.resBlocks = 1;
        a.segBase = 8;
        m.inference.topK = 10;
        return m;
    }

    /** Uniform random images in [0, 1], N x 3 x size x size. */
    public static NDArray images(NDManager manager, int n, int size, long seed) {
        return pixels(n, size, seed).toArray(manager);
    }

    /** {@code n} images of uniform noise, as plain pixels. */
    public static PixelBatch pixels(int n, int size, long seed) {
        Random random = new Random(seed);
        float[] data = new float[n * 3 * size * size];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat();
        }
        return new PixelBatch(data, n, size);
    }

    /** Smooth synthetic "parts": a bright disc on a gradient, shifted a little per image. */
    public static List<RgbImage> parts(int count, int size) {
        List<RgbImage> images = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            float[] chw = new float[3 * size * size];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double dx = x - size / 2.0 - k % 3;
                    double dy = y - size / 2.0 + k % 2;
                    boolean disc = dx * dx + dy * dy < size * size / 9.0;
                    for (int c = 0; c < 3; c++) {
                        chw[(c * size + y) * size + x] = (float) (disc ? 0.8 - 0.1 * c : 0.2 + 0.3 * y / size);
                    }
                }
            }
            images.add(RgbImage.of(size, size, chw));
        }
        return images;
    }
}

package ai.dad.imaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Synthetic images and scratch folders for the synthesis tests (nothing is read from outside the build). */
public final class TestImages {

    private TestImages() {
    }

    /** A smooth colour gradient: red along x, green along y, blue along the diagonal. */
    public static RgbImage gradient(int size) {
        int plane = size * size;
        float[] d = new float[3 * plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int i = y * size + x;
                d[i] = x / (float) (size - 1);
                d[plane + i] = y / (float) (size - 1);
                d[2 * plane + i] = (x + y) / (float) (2 * size - 2);
            }
        }
        return RgbImage.of(size, size, d);
    }

    /** A two-colour checkerboard with square cells of {@code cell} pixels. */
    public static RgbImage checkerboard(int size, int cell) {
        int plane = size * size;
        float[] d = new float[3 * plane];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean dark = ((x / cell) + (y / cell)) % 2 == 0;
                int i = y * size + x;
                d[i] = dark ? 0.1f : 0.9f;
                d[plane + i] = dark ? 0.2f : 0.7f;
                d[2 * plane + i] = dark ? 0.6f : 0.3f;
            }
        }
        return RgbImage.of(size, size, d);
    }

    /** A fresh scratch folder under the module's {@code target/} folder. */
    public static Path scratchDir() throws IOException {
        Path base = Path.of("target", "synth-test");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, "run");
    }
}

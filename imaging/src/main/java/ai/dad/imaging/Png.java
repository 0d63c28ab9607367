package ai.dad.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** 8-bit PNG output: RGB images and single-channel maps in [0, 1] (1 becomes 255). */
public final class Png {
    private Png() {}

    /** Writes an image as an 8-bit RGB PNG, creating parent folders. */
    public static void write(RgbImage image, Path file) throws IOException {
        write(image.toBufferedImage(), file);
    }

    /** Writes a {@code height * width} row-major map in [0, 1] as an 8-bit grey PNG, creating parent folders. */
    public static void writeGray(float[] map, int width, int height, Path file) throws IOException {
        write(gray(map, width, height), file);
    }

    /** The PNG bytes of an image. */
    public static byte[] encode(RgbImage image) throws IOException {
        return encode(image.toBufferedImage());
    }

    /** The PNG bytes of a map in [0, 1] as 8-bit grey. */
    public static byte[] encodeGray(float[] map, int width, int height) throws IOException {
        return encode(gray(map, width, height));
    }

    private static BufferedImage gray(float[] map, int width, int height) {
        if (map.length != width * height) {
            throw new IllegalArgumentException("map has " + map.length + " values for " + width + "x" + height);
        }
        BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = grey.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = RgbImage.to8(map[y * width + x]);
            }
            raster.setSamples(0, y, width, 1, 0, row);
        }
        return grey;
    }

    private static byte[] encode(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(image, out);
        return out.toByteArray();
    }

    private static void write(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            write(image, out);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available");
        }
    }
}

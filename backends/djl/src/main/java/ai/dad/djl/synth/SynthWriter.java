package ai.dad.djl.synth;

import ai.dad.djl.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Writes synthesised samples as 8-bit PNG files (an RGB image and a grey 0/255 mask), so the
 * synthetic anomalies can be looked at and checked by eye (the {@code dad synth} command).
 */
public final class SynthWriter {

    private SynthWriter() {
    }

    /** Writes the sample's image to {@code imageFile} and its mask to {@code maskFile}. */
    public static void write(Sample sample, Path imageFile, Path maskFile) throws IOException {
        writeImage(sample.image(), imageFile);
        writeMask(sample.mask(), sample.image().width(), sample.image().height(), maskFile);
    }

    /** Writes an image as an 8-bit RGB PNG, creating parent folders. */
    public static void writeImage(RgbImage image, Path file) throws IOException {
        writePng(image.toBufferedImage(), file);
    }

    /**
     * Writes a {@code height * width} row-major mask in [0,1] as an 8-bit grey PNG (1 becomes
     * 255), creating parent folders.
     */
    public static void writeMask(float[] mask, int width, int height, Path file) throws IOException {
        if (mask.length != width * height) {
            throw new IllegalArgumentException("mask has " + mask.length + " values for " + width + "x" + height);
        }
        BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster raster = grey.getRaster();
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = RgbImage.to8(mask[y * width + x]);
            }
            raster.setSamples(0, y, width, 1, 0, row);
        }
        writePng(grey, file);
    }

    private static void writePng(BufferedImage image, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (var out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available for " + file);
            }
        } catch (IOException e) {
            throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

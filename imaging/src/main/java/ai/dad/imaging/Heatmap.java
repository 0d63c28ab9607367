package ai.dad.imaging;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Turns anomaly maps into pictures a person can read: a jet-style colour map and an overlay. */
public final class Heatmap {
    private Heatmap() {}

    /** The colour of {@code v} in [0, 1]: blue (0) through cyan, green, yellow to red (1). */
    public static float[] color(float v) {
        float x = Math.max(0f, Math.min(1f, v));
        float r = clamp(1.5f - Math.abs(4f * x - 3f));
        float g = clamp(1.5f - Math.abs(4f * x - 2f));
        float b = clamp(1.5f - Math.abs(4f * x - 1f));
        return new float[] {r, g, b};
    }

    /** The map ({@code size x size}, values in [0, 1]) as a colour image. */
    public static RgbImage colorize(float[] map, int width, int height) {
        int pixels = width * height;
        float[] chw = new float[3 * pixels];
        for (int i = 0; i < pixels; i++) {
            float[] c = color(map[i]);
            chw[i] = c[0];
            chw[pixels + i] = c[1];
            chw[2 * pixels + i] = c[2];
        }
        return RgbImage.wrap(width, height, chw);
    }

    /** The image with the coloured map blended on top, weighted by the map so clean areas stay visible. */
    public static RgbImage overlay(RgbImage image, float[] map) {
        int pixels = image.width() * image.height();
        float[] base = image.buffer();
        float[] out = new float[3 * pixels];
        for (int i = 0; i < pixels; i++) {
            float[] c = color(map[i]);
            float alpha = 0.25f + 0.5f * Math.max(0f, Math.min(1f, map[i]));
            for (int ch = 0; ch < 3; ch++) {
                out[ch * pixels + i] = (1 - alpha) * base[ch * pixels + i] + alpha * c[ch];
            }
        }
        return RgbImage.wrap(image.width(), image.height(), out);
    }

    /**
     * The overlay as PNG bytes, from an encoded frame and an encoded grey map (255 = 1.0) as the
     * service returns them; a map of another size is resized to the frame's.
     */
    public static byte[] overlayPng(byte[] imageBytes, byte[] mapPng) throws IOException {
        RgbImage image = decode(imageBytes, "frame");
        RgbImage mapImage = decode(mapPng, "map");
        float[] map = Arrays.copyOf(mapImage.buffer(), mapImage.width() * mapImage.height());
        if (mapImage.width() != image.width() || mapImage.height() != image.height()) {
            map = Bilinear.resize(map, 1, mapImage.width(), mapImage.height(), image.width(), image.height());
        }
        return Png.encode(overlay(image, map));
    }

    private static RgbImage decode(byte[] bytes, String what) throws IOException {
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode the " + what + ": " + e.getMessage(), e);
        }
        if (decoded == null) {
            throw new IOException("cannot decode the " + what + ": not a PNG, JPEG or BMP image");
        }
        return RgbImage.fromBufferedImage(decoded);
    }

    /** A single-channel map in [0, 1] as a grey image. */
    public static RgbImage gray(float[] map, int width, int height) {
        int pixels = width * height;
        float[] chw = new float[3 * pixels];
        for (int ch = 0; ch < 3; ch++) {
            System.arraycopy(map, 0, chw, ch * pixels, pixels);
        }
        return RgbImage.wrap(width, height, chw);
    }

    /** Images of equal height side by side. */
    public static RgbImage sideBySide(RgbImage... panels) {
        int height = panels[0].height();
        int width = 0;
        for (RgbImage p : panels) {
            width += p.width();
        }
        float[] out = new float[3 * width * height];
        int x0 = 0;
        for (RgbImage p : panels) {
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < p.width(); x++) {
                        out[(ch * height + y) * width + x0 + x] = p.get(ch, y, x);
                    }
                }
            }
            x0 += p.width();
        }
        return RgbImage.wrap(width, height, out);
    }

    private static float clamp(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}

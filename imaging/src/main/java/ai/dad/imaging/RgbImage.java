package ai.dad.imaging;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * An immutable RGB image as three float planes in CHW order (3 x H x W), values in [0,1].
 *
 * <p>This is the plain-Java image type of the training-data pipeline (anomaly synthesis works
 * on float arrays, without DJL), with the conversions it needs: from and to
 * {@link BufferedImage}, bilinear resizing to the model's square size, and reading PNG, JPEG
 * or BMP files through ImageIO.
 */
public final class RgbImage {

    /** Number of colour channels (always 3). */
    public static final int CHANNELS = 3;

    private final int width;
    private final int height;
    private final float[] data;

    private RgbImage(int width, int height, float[] data) {
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /**
     * An image holding a copy of {@code chw}: 3 x height x width values in CHW order (all of
     * the red plane, then green, then blue, each row-major), expected in [0,1].
     *
     * @throws IllegalArgumentException if a size is not positive or the array length is wrong
     */
    public static RgbImage of(int width, int height, float[] chw) {
        return wrap(width, height, chw.clone());
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
    }

    /** Wraps {@code data} without copying; the caller must not change it afterwards. */
    public static RgbImage wrap(int width, int height, float[] data) {
        checkSize(width, height);
        if (data.length != CHANNELS * width * height) {
            throw new IllegalArgumentException("expected " + CHANNELS * width * height
                    + " values for a " + width + "x" + height + " RGB image, got " + data.length);
        }
        return new RgbImage(width, height, data);
    }

    /** The backing array, without copying: read-only, for hot loops that must not copy. */
    public float[] buffer() {
        return data;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The value of channel {@code c} (0 red, 1 green, 2 blue) at row {@code y}, column {@code x}. */
    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }

    /** A copy of the values in CHW order. */
    public float[] toArray() {
        return data.clone();
    }

    /** Copies the 3 x H x W values in CHW order into {@code dst} from {@code offset} (to fill batches). */
    public void copyTo(float[] dst, int offset) {
        System.arraycopy(data, 0, dst, offset, data.length);
    }

    /**
     * Converts any {@link BufferedImage} to RGB in [0,1]. Grey images (8 or 16 bit, with or
     * without alpha) give their stored grey value in all three channels, as OpenCV does (Java's
     * {@code getRGB} would apply a gamma conversion to them); all other types, palette included,
     * go through {@code getRGB}. Alpha is dropped.
     */
    public static RgbImage fromBufferedImage(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        float[] out = new float[CHANNELS * plane];
        ColorModel cm = image.getColorModel();
        if (cm.getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
            // ImageIO decodes CMYK JPEGs without their colour profile: the colours come out wrong.
            throw new IllegalArgumentException("CMYK images are not supported; convert to RGB or grey");
        }
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = image.getRaster();
            float max = (float) ((1L << cm.getComponentSize(0)) - 1);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = Math.min(1f, row[x] / max);
                    int i = y * w + x;
                    out[i] = v;
                    out[plane + i] = v;
                    out[2 * plane + i] = v;
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    int i = y * w + x;
                    out[i] = ((argb >> 16) & 0xFF) / 255f;
                    out[plane + i] = ((argb >> 8) & 0xFF) / 255f;
                    out[2 * plane + i] = (argb & 0xFF) / 255f;
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** An 8-bit {@link BufferedImage#TYPE_INT_RGB} copy (values clamped to [0,1] and rounded). */
    public BufferedImage toBufferedImage() {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = width * height;
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                row[x] = (to8(data[i]) << 16) | (to8(data[plane + i]) << 8) | to8(data[2 * plane + i]);
            }
            out.setRGB(0, y, width, 1, row, 0, width);
        }
        return out;
    }

    /** Rounds a [0,1] value to 0..255, clamping out-of-range values. */
    public static int to8(float v) {
        int q = Math.round(v * 255f);
        return q < 0 ? 0 : Math.min(q, 255);
    }

    /** Bilinear resize to {@code size} x {@code size} (aspect ratio not kept, as the reference does). */
    public RgbImage resize(int size) {
        return resize(size, size);
    }

    /**
     * Bilinear resize with pixel-centre alignment and edge replication (OpenCV's
     * {@code INTER_LINEAR}); returns this image when the size already matches.
     */
    public RgbImage resize(int newWidth, int newHeight) {
        checkSize(newWidth, newHeight);
        if (newWidth == width && newHeight == height) {
            return this;
        }
        float[] out = Bilinear.resize(data, CHANNELS, width, height, newWidth, newHeight);
        return new RgbImage(newWidth, newHeight, out);
    }

    /** The {@code w x h} rectangle at ({@code x}, {@code y}); this image when it is the whole of it. */
    public RgbImage crop(int x, int y, int w, int h) {
        checkSize(w, h);
        if (x < 0 || y < 0 || x + w > width || y + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + x + ", " + y + ") leaves the "
                    + width + "x" + height + " image");
        }
        if (x == 0 && y == 0 && w == width && h == height) {
            return this;
        }
        float[] out = new float[CHANNELS * w * h];
        for (int c = 0; c < CHANNELS; c++) {
            for (int row = 0; row < h; row++) {
                System.arraycopy(data, (c * height + y + row) * width + x, out, (c * h + row) * w, w);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** This image drawn at ({@code x}, {@code y}) on a black {@code canvasWidth x canvasHeight} canvas. */
    public RgbImage padTo(int canvasWidth, int canvasHeight, int x, int y) {
        checkSize(canvasWidth, canvasHeight);
        if (x < 0 || y < 0 || x + width > canvasWidth || y + height > canvasHeight) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image at (" + x + ", " + y
                    + ") does not fit a " + canvasWidth + "x" + canvasHeight + " canvas");
        }
        float[] out = new float[CHANNELS * canvasWidth * canvasHeight];
        for (int c = 0; c < CHANNELS; c++) {
            for (int row = 0; row < height; row++) {
                System.arraycopy(data, (c * height + row) * width, out, (c * canvasHeight + y + row) * canvasWidth + x, width);
            }
        }
        return new RgbImage(canvasWidth, canvasHeight, out);
    }

    /**
     * Reads a PNG, JPEG or BMP file (whatever ImageIO decodes).
     *
     * @throws IOException naming the file if it is missing, unreadable or not a decodable image
     */
    public static RgbImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such image file");
        }
        BufferedImage image;
        try (InputStream in = Files.newInputStream(file)) {
            image = ImageIO.read(in);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read image " + file + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IOException("cannot read image " + file + ": not a format ImageIO can decode");
        }
        return fromBufferedImage(image);
    }

    /**
     * Reads a mask image (ground truth, foreground) at {@code width x height}: resized bilinearly,
     * 1 where the first channel is at least 0.5, else 0; row-major. The one rule by which
     * {@code dad eval}, {@code dad-client eval} and training read masks.
     */
    public static float[] readBinaryMask(Path file, int width, int height) throws IOException {
        return read(file).binaryMask(width, height);
    }

    /** This image as a mask at {@code width x height}, by the rule of {@link #readBinaryMask}. */
    public float[] binaryMask(int width, int height) {
        float[] rgb = resize(width, height).data;
        float[] mask = new float[width * height];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rgb[i] >= 0.5f ? 1f : 0f;
        }
        return mask;
    }

    /** Reads an image file and resizes it to {@code size} x {@code size}. */
    public static RgbImage read(Path file, int size) throws IOException {
        return read(file).resize(size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}

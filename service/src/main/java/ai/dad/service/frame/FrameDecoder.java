package ai.dad.service.frame;

import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.RawImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns a request's frame (encoded PNG/JPEG/BMP bytes or raw 8-bit pixels) into an RGB image.
 * The pixel count is checked from the header before any pixel buffer is allocated, so a small
 * file that claims to be huge is refused cheaply.
 */
public final class FrameDecoder {
    /** ImageIO format names of the readers used; other formats are refused. */
    private static final Set<String> SUPPORTED_FORMATS = Set.of("png", "jpeg", "bmp");

    private final long maxPixels;

    public FrameDecoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** Decodes encoded image bytes. */
    public RgbImage decode(byte[] bytes) throws InvalidFrameException {
        if (bytes.length == 0) {
            throw new InvalidFrameException("image is empty");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidFrameException("image is not a PNG, JPEG or BMP (" + bytes.length + " bytes of an unknown format)");
            }
            ImageReader reader = readers.next();
            try {
                // Only the formats the service promises: ImageIO's TIFF reader (and others) can be
                // made to allocate gigabytes by a file of a few hundred bytes (FrameDecoderFuzzTest).
                String format = reader.getFormatName().toLowerCase(Locale.ROOT);
                if (!SUPPORTED_FORMATS.contains(format)) {
                    throw new InvalidFrameException("image is not a PNG, JPEG or BMP (" + format + " is not supported)");
                }
                if (format.equals("bmp")) {
                    checkBmpHeader(bytes);
                }
                reader.setInput(in, true, true);
                checkSize(reader.getWidth(0), reader.getHeight(0));
                BufferedImage image = reader.read(0);
                return RgbImage.fromBufferedImage(image);
            } finally {
                reader.dispose();
            }
        } catch (InvalidFrameException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Truncated files, unsupported variants (e.g. CMYK JPEG) and corrupt data land here.
            String format = formatName(bytes);
            throw new InvalidFrameException("cannot decode " + format + " image: " + describe(e), e);
        }
    }

    /** Converts raw interleaved 8-bit pixels (1, 3 or 4 channels; alpha is ignored). */
    public RgbImage decode(RawImage raw) throws InvalidFrameException {
        int width = raw.getWidth();
        int height = raw.getHeight();
        int channels = raw.getChannels();
        if (width <= 0 || height <= 0) {
            throw new InvalidFrameException("raw image size " + width + "x" + height + " must be positive");
        }
        if (channels != 1 && channels != 3 && channels != 4) {
            throw new InvalidFrameException("raw image has " + channels + " channels; use 1, 3 or 4");
        }
        checkSize(width, height);
        long expected = (long) width * height * channels;
        if (raw.getData().size() != expected) {
            throw new InvalidFrameException("raw image data has " + raw.getData().size() + " bytes, but "
                    + width + "x" + height + "x" + channels + " needs " + expected);
        }
        byte[] data = raw.getData().toByteArray();
        int plane = width * height;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                int source = channels == 1 ? i : i * channels + c;
                chw[c * plane + i] = (data[source] & 0xFF) / 255f;
            }
        }
        return RgbImage.wrap(width, height, chw);
    }

    private void checkSize(int width, int height) throws InvalidFrameException {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0) {
            throw new InvalidFrameException("image size " + width + "x" + height + " is not valid");
        }
        if (pixels > maxPixels) {
            throw new InvalidFrameException("image is " + width + "x" + height + " = " + pixels
                    + " pixels, above the limit of " + maxPixels + " (dad.frames.max-pixels)");
        }
    }

    /**
     * Checks the BMP header fields that ImageIO's BMP reader trusts for allocations: it allocates
     * the image-size field at once for RLE and embedded images (so an 81-byte file could ask for
     * 2 GB, found by FrameDecoderFuzzTest), and decodes an embedded JPEG or PNG without the pixel
     * check. Embedded images (compression 4 and 5, meant for printers) are refused, and the sizes the
     * header claims must fit in the bytes received.
     */
    private static void checkBmpHeader(byte[] b) throws InvalidFrameException {
        if (b.length < 38 || le32(b, 14) < 40) {
            return; // OS/2 1.x header or too short: no compression, the reader refuses what is missing
        }
        long fileSize = le32(b, 2) & 0xFFFFFFFFL;
        int compression = le32(b, 30);
        long imageSize = le32(b, 34) & 0xFFFFFFFFL;
        if (compression == 4 || compression == 5) {
            throw new InvalidFrameException("BMP with an embedded " + (compression == 4 ? "JPEG" : "PNG")
                    + " (compression " + compression + ") is not supported; send the JPEG or PNG itself");
        }
        if (imageSize > b.length || (imageSize == 0 && (compression == 1 || compression == 2) && fileSize > b.length)) {
            throw new InvalidFrameException("BMP header claims " + Math.max(imageSize, fileSize)
                    + " bytes of data, but the image has " + b.length);
        }
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static String formatName(byte[] b) {
        if (b.length >= 4 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "PNG";
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return "JPEG";
        }
        if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
            return "BMP";
        }
        return "the";
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}

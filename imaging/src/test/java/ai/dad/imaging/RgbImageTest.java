package ai.dad.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RgbImageTest {

    private static void assertClose(RgbImage expected, RgbImage actual, float tol) {
        assertEquals(expected.width(), actual.width());
        assertEquals(expected.height(), actual.height());
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < expected.height(); y++) {
                for (int x = 0; x < expected.width(); x++) {
                    assertEquals(expected.get(c, y, x), actual.get(c, y, x), tol, "c" + c + " y" + y + " x" + x);
                }
            }
        }
    }

    @Test
    void roundTripsThroughBufferedImageWithin8Bits() {
        RgbImage image = TestImages.gradient(64);
        RgbImage back = RgbImage.fromBufferedImage(image.toBufferedImage());
        assertClose(image, back, 0.5f / 255 + 1e-6f);
        // An 8-bit image round-trips exactly.
        assertEquals(back, RgbImage.fromBufferedImage(back.toBufferedImage()));
    }

    @Test
    void readsGreyPaletteAndAlphaImagesAsRgb() {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 64, 255});
        RgbImage g = RgbImage.fromBufferedImage(grey);
        for (int c = 0; c < 3; c++) {
            assertEquals(64 / 255f, g.get(c, 0, 1), 1e-6f, "grey keeps its stored value, no gamma");
            assertEquals(1f, g.get(c, 0, 2), 1e-6f);
        }

        BufferedImage grey16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 65535 / 5);
        assertEquals(0.2f, RgbImage.fromBufferedImage(grey16).get(1, 0, 0), 1e-4f);

        byte[] r = {(byte) 255, 0};
        byte[] gr = {0, (byte) 128};
        byte[] b = {0, (byte) 255};
        BufferedImage palette = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(1, 2, r, gr, b));
        palette.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {1, 0});
        RgbImage p = RgbImage.fromBufferedImage(palette);
        assertEquals(0f, p.get(0, 0, 0), 1e-6f);
        assertEquals(128 / 255f, p.get(1, 0, 0), 1e-6f);
        assertEquals(1f, p.get(2, 0, 0), 1e-6f);
        assertEquals(1f, p.get(0, 0, 1), 1e-6f);

        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80102030);
        RgbImage a = RgbImage.fromBufferedImage(argb);
        assertEquals(0x10 / 255f, a.get(0, 0, 0), 1e-6f);
        assertEquals(0x20 / 255f, a.get(1, 0, 0), 1e-6f);
        assertEquals(0x30 / 255f, a.get(2, 0, 0), 1e-6f);
    }

    @Test
    void resizesBilinearlyToASquare() {
        RgbImage image = TestImages.gradient(64);
        assertSame(image, image.resize(64));
        RgbImage small = image.resize(32);
        assertEquals(32, small.width());
        assertEquals(32, small.height());
        // Halving a linear ramp with centre alignment averages neighbouring pixels.
        assertEquals((image.get(0, 0, 2) + image.get(0, 0, 3)) / 2, small.get(0, 0, 1), 1e-5f);
        RgbImage wide = RgbImage.of(4, 2, new float[24]).resize(16);
        assertEquals(16, wide.width());
        assertEquals(16, wide.height());
        float[] grey = new float[3 * 5 * 7];
        java.util.Arrays.fill(grey, 0.3f);
        for (float v : RgbImage.of(5, 7, grey).resize(24).toArray()) {
            assertEquals(0.3f, v, 1e-6f);
        }
        RgbImage up = TestImages.checkerboard(16, 4).resize(40);
        for (float v : up.toArray()) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void readsPngWrittenToDisk() throws IOException {
        Path dir = TestImages.scratchDir();
        RgbImage image = TestImages.checkerboard(64, 8);
        Path png = dir.resolve("board.png");
        ImageIO.write(image.toBufferedImage(), "png", png.toFile());
        assertClose(image, RgbImage.read(png), 0.5f / 255 + 1e-6f);
        assertEquals(32, RgbImage.read(png, 32).width());
    }

    @Test
    void notAnImageGivesAnExceptionNamingTheFile() throws IOException {
        Path dir = TestImages.scratchDir();
        Path text = dir.resolve("notes-not-an-image.png");
        Files.writeString(text, "this is not a picture", StandardCharsets.UTF_8);
        IOException e = assertThrows(IOException.class, () -> RgbImage.read(text));
        assertTrue(e.getMessage().contains("notes-not-an-image.png"), e.getMessage());

        Path missing = dir.resolve("missing-file.jpg");
        IOException e2 = assertThrows(IOException.class, () -> RgbImage.read(missing));
        assertTrue(e2.getMessage().contains("missing-file.jpg"), e2.getMessage());
    }

    @Test
    void rejectsWrongBufferLength() {
        assertThrows(IllegalArgumentException.class, () -> RgbImage.of(4, 4, new float[47]));
        assertThrows(IllegalArgumentException.class, () -> RgbImage.of(0, 4, new float[0]));
    }
}

package ai.dad.toolkit.synth;

import ai.dad.imaging.TestImages;
import ai.dad.imaging.RgbImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AugmentOpTest {

    @ParameterizedTest
    @EnumSource(AugmentOp.class)
    void keepsSizeAndUnitRangeAndIsReproducible(AugmentOp op) {
        RgbImage input = TestImages.gradient(64);
        float[] before = input.toArray();
        for (long seed = 0; seed < 5; seed++) {
            RgbImage out = op.apply(input, new Random(seed));
            assertEquals(64, out.width());
            assertEquals(64, out.height());
            for (float v : out.toArray()) {
                assertTrue(v >= 0f && v <= 1f, op + " gave " + v);
            }
            assertEquals(out, op.apply(input, new Random(seed)), op + " is not reproducible");
        }
        assertEquals(RgbImage.of(64, 64, before), input, op + " changed its input");
    }

    @ParameterizedTest
    @EnumSource(value = AugmentOp.class, names = {"SOLARIZE"}, mode = EnumSource.Mode.EXCLUDE)
    void changesTheImage(AugmentOp op) {
        // Solarize only fires half the time (as in the reference); every other op always changes
        // a gradient that does not span the full range.
        float[] d = TestImages.gradient(64).toArray();
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.2f + 0.5f * d[i];
        }
        RgbImage input = RgbImage.of(64, 64, d);
        for (long seed = 0; seed < 5; seed++) {
            assertNotEquals(input, op.apply(input, new Random(seed)), op + " with seed " + seed);
        }
    }

    @Test
    void invertIsItsOwnInverse() {
        RgbImage input = TestImages.checkerboard(64, 8);
        RgbImage twice = AugmentOp.INVERT.apply(AugmentOp.INVERT.apply(input, new Random()), new Random());
        float[] a = input.toArray();
        float[] b = twice.toArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6f);
        }
    }

    @Test
    void autocontrastAndEqualizeSpanTheFullRange() {
        float[] d = new float[3 * 16 * 16];
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.4f + 0.2f * (i % 16) / 15f;
        }
        RgbImage narrow = RgbImage.of(16, 16, d);
        for (AugmentOp op : new AugmentOp[] {AugmentOp.AUTOCONTRAST, AugmentOp.EQUALIZE}) {
            float[] out = op.apply(narrow, new Random(0)).toArray();
            float min = 1f;
            float max = 0f;
            for (float v : out) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(0f, min, 1e-6f, op.name());
            assertEquals(1f, max, 1e-6f, op.name());
        }
    }

    @Test
    void hsvConversionRoundTrips() {
        Random random = new Random(9);
        float[] hsv = new float[3];
        float[] rgb = new float[3];
        for (int k = 0; k < 1000; k++) {
            float r = random.nextFloat();
            float g = random.nextFloat();
            float b = random.nextFloat();
            ColorSpaces.rgbToHsv(r, g, b, hsv);
            ColorSpaces.hsvToRgb(hsv[0], hsv[1], hsv[2], rgb, 0, 1);
            assertEquals(r, rgb[0], 1e-5f);
            assertEquals(g, rgb[1], 1e-5f);
            assertEquals(b, rgb[2], 1e-5f);
        }
    }

    @Test
    void brightnessMovesLuminanceAndKeepsChroma() {
        float[] d = new float[3 * 8 * 8];
        int plane = 64;
        for (int i = 0; i < plane; i++) {
            d[i] = 0.5f;
            d[plane + i] = 0.4f;
            d[2 * plane + i] = 0.3f + 0.002f * i;
        }
        float[] out = AugmentOp.BRIGHTNESS.apply(RgbImage.of(8, 8, d), new Random(3)).toArray();
        for (int i = 0; i < plane; i++) {
            // The same shift on every channel: differences between channels (chroma) stay.
            assertEquals(d[i] - d[plane + i], out[i] - out[plane + i], 1e-5f);
            assertEquals(d[2 * plane + i] - d[plane + i], out[2 * plane + i] - out[plane + i], 1e-5f);
        }
    }

    @Test
    void autocontrastIgnoresTheCutOffTails() {
        // 100 pixels: one dark and one bright outlier, the rest between 0.4 and 0.6.
        float[] d = new float[3 * 10 * 10];
        for (int i = 0; i < d.length; i++) {
            d[i] = 0.4f + 0.2f * (i % 100) / 99f;
        }
        for (int c = 0; c < 3; c++) {
            d[c * 100] = 0f;
            d[c * 100 + 99] = 1f;
        }
        RgbImage image = RgbImage.of(10, 10, d);
        int stretched = 0;
        for (int seed = 0; seed < 40; seed++) {
            float[] out = AugmentOp.AUTOCONTRAST.apply(image, new Random(seed)).toArray();
            // With a cutoff of 1 % or more the outliers are ignored, the middle range is stretched
            // and pixels near its ends saturate.
            if (out[1] == 0f && out[98] == 1f) {
                stretched++;
            }
        }
        assertTrue(stretched > 30, "cutoff drawn from 0..20 %: most draws ignore the outliers, got " + stretched);
    }
}

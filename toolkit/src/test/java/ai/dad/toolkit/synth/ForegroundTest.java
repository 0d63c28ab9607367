package ai.dad.toolkit.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.imaging.RgbImage;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForegroundTest {

    private static final int SIZE = 96;
    private static final int RADIUS = 30;
    private static final int HOLE = 12;
    /** Dilation (2% of 96 px, rounded) plus a pixel of slack for the disc's pixelation. */
    private static final double REACH = RADIUS + 3;

    /**
     * A ring (disc of radius {@value #RADIUS} with a hole of radius {@value #HOLE} in the
     * background's colour) at the centre, plus a little seeded noise everywhere.
     */
    private static RgbImage ring(float[] background, float[] ring, int w, int h, long seed) {
        Random random = new Random(seed);
        int plane = w * h;
        float[] d = new float[3 * plane];
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double r = Math.hypot(x - cx, y - cy);
                float[] colour = r <= RADIUS && r > HOLE ? ring : background;
                for (int c = 0; c < 3; c++) {
                    float noise = (float) (0.02 * random.nextGaussian());
                    d[c * plane + y * w + x] = Math.min(1f, Math.max(0f, colour[c] + noise));
                }
            }
        }
        return RgbImage.of(w, h, d);
    }

    /** The mask holds only 0 and 1, covers the whole disc including its hole, and nothing far from it. */
    private static void assertCoversTheDisc(float[] mask, int w, int h) {
        assertEquals(w * h, mask.length);
        double cx = (w - 1) / 2.0;
        double cy = (h - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = mask[y * w + x];
                assertTrue(v == 0f || v == 1f, "mask value " + v);
                double r = Math.hypot(x - cx, y - cy);
                if (r <= RADIUS) {
                    assertEquals(1f, v, "disc pixel (" + x + ", " + y + ") at radius " + r + " left out");
                } else if (r > REACH) {
                    assertEquals(0f, v, "background pixel (" + x + ", " + y + ") at radius " + r + " taken");
                }
            }
        }
        for (int i : new int[] {0, w - 1, (h - 1) * w, h * w - 1}) {
            assertEquals(0f, mask[i], "corner taken");
        }
    }

    @Test
    void darkRingOnWhiteIsCoveredHoleIncluded() {
        float[] white = {0.97f, 0.97f, 0.96f};
        float[] dark = {0.15f, 0.12f, 0.10f};
        assertCoversTheDisc(Foreground.estimate(ring(white, dark, SIZE, SIZE, 1)), SIZE, SIZE);
    }

    @Test
    void lightRingOnBlackIsCoveredHoleIncluded() {
        float[] black = {0.03f, 0.03f, 0.03f};
        float[] grey = {0.55f, 0.5f, 0.45f};
        assertCoversTheDisc(Foreground.estimate(ring(black, grey, SIZE, SIZE, 2)), SIZE, SIZE);
    }

    @Test
    void worksOnANonSquareImage() {
        int w = 120;
        int h = 80;
        float[] white = {1f, 1f, 1f};
        float[] blue = {0.1f, 0.2f, 0.6f};
        float[] mask = Foreground.estimate(ring(white, blue, w, h, 3));
        // 2% of the smaller side (80 px) rounds to 2 px: within REACH.
        assertCoversTheDisc(mask, w, h);
    }

    @Test
    void onlyTheLargestRegionIsKept() {
        float[] white = {0.97f, 0.97f, 0.97f};
        float[] dark = {0.1f, 0.1f, 0.1f};
        RgbImage image = ring(white, dark, SIZE, SIZE, 4);
        float[] d = image.toArray();
        int plane = SIZE * SIZE;
        for (int y = 8; y < 12; y++) { // a small dark speck, well away from the disc and border
            for (int x = 82; x < 86; x++) {
                for (int c = 0; c < 3; c++) {
                    d[c * plane + y * SIZE + x] = 0.1f;
                }
            }
        }
        float[] mask = Foreground.estimate(RgbImage.of(SIZE, SIZE, d));
        assertCoversTheDisc(mask, SIZE, SIZE);
        assertEquals(0f, mask[10 * SIZE + 84], "the speck is not the object");
    }

    @Test
    void uniformImagesGiveTheWholeImage() {
        float[] grey = {0.5f, 0.5f, 0.5f};
        // Noise only: Otsu alone would split it, the distance floor does not.
        float[] noisy = Foreground.estimate(ring(grey, grey, SIZE, SIZE, 5));
        float[] flat = Foreground.estimate(RgbImage.of(SIZE, SIZE, new float[3 * SIZE * SIZE]));
        float[] ones = new float[SIZE * SIZE];
        Arrays.fill(ones, 1f);
        assertArrayEquals(ones, noisy);
        assertArrayEquals(ones, flat);
    }

    @Test
    void aTinyEstimateGivesTheWholeImage() {
        // As when an object fills the frame: what stands out from the border is a detail.
        int plane = SIZE * SIZE;
        float[] d = new float[3 * plane];
        Arrays.fill(d, 0.4f);
        d[SIZE * SIZE / 2 + SIZE / 2] = 1f; // one bright pixel: under 2% of the image
        float[] mask = Foreground.estimate(RgbImage.of(SIZE, SIZE, d));
        for (float v : mask) {
            assertEquals(1f, v);
        }
    }

    @Test
    void randomRegionIsAPartOfTheImageAndReproducible() {
        for (int[] size : new int[][] {{64, 64}, {40, 70}, {256, 256}}) {
            int h = size[0];
            int w = size[1];
            for (long seed = 0; seed < 20; seed++) {
                float[] a = Foreground.randomRegion(h, w, new Random(seed));
                assertArrayEquals(a, Foreground.randomRegion(h, w, new Random(seed)), "same seed, same region");
                int inside = 0;
                for (float v : a) {
                    assertTrue(v == 0f || v == 1f, "mask value " + v);
                    inside += (int) v;
                }
                double share = inside / (double) (h * w);
                assertTrue(share >= 0.29 && share <= 0.71, "share " + share + " (seed " + seed + ")");
                assertFalse(Arrays.equals(a, Foreground.randomRegion(h, w, new Random(seed + 100))),
                        "another seed, another region");
            }
        }
    }
}

package ai.dad.metrics;

import ai.dad.imaging.ConnectedComponents;
import static ai.dad.imaging.ConnectedComponentsTest.mask;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class AuproTest {
    private static final double EPS = 1e-12;

    private static float[] map(boolean[] mask, float inside, float outside) {
        float[] m = new float[mask.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = mask[i] ? inside : outside;
        }
        return m;
    }

    @Test
    void perfectMapIsOne() {
        boolean[] gt = mask(
                "##..",
                "##..",
                "...#",
                "....");
        assertEquals(1.0, Aupro.compute(List.of(map(gt, 0.9f, 0.1f)), List.of(gt), 4, 4), EPS);
    }

    @Test
    void mapFiringOnOneOfTwoRegions() {
        // region A (left, 4 px) scores 1; region B (right, 2 px) ties with the background at 0.
        // Curve: (0, 0), (0, 0.5), (1, 1). At FPR 0.3: PRO 0.65; area 0.3 * (0.5 + 0.65) / 2.
        boolean[] gt = mask(
                "##...#",
                "##...#",
                "......");
        boolean[] a = mask(
                "##....",
                "##....",
                "......");
        double expected = 0.3 * (0.5 + 0.65) / 2 / 0.3; // 0.575
        assertEquals(expected, Aupro.compute(List.of(map(a, 1, 0)), List.of(gt), 6, 3), EPS);
    }

    @Test
    void partialOverlapAndFalsePositives() {
        // 4x4 image, region = 2x2 block (4 px), 12 background px.
        // Region: two px at 1.0, two at 0.5. Background: three px at 0.8, the rest 0.
        // Curve: (0,0) (0,.5) (.25,.5) (.25,1) (1,1) -> area to .3 = .25*.5 + .05*1 = .175
        boolean[] gt = mask(
                "##..",
                "##..",
                "....",
                "....");
        float[] m = {
            1.0f, 1.0f, 0.8f, 0.8f,
            0.5f, 0.5f, 0.8f, 0,
            0, 0, 0, 0,
            0, 0, 0, 0};
        assertEquals(0.175 / 0.3, Aupro.compute(List.of(m), List.of(gt), 4, 4), EPS);
        // limit exactly at a curve point: area to .25 = .125 -> /.25
        assertEquals(0.5, Aupro.compute(List.of(m), List.of(gt), 4, 4, 0.25), EPS);
        // whole curve: .125 + .75
        assertEquals(0.875, Aupro.compute(List.of(m), List.of(gt), 4, 4, 1.0), EPS);
    }

    @Test
    void constantMapIsHalfTheLimit() {
        boolean[] gt = mask(
                "#..",
                "...",
                "..#");
        assertEquals(0.15, Aupro.compute(List.of(new float[9]), List.of(gt), 3, 3), EPS);
        assertEquals(0.05, Aupro.compute(List.of(new float[9]), List.of(gt), 3, 3, 0.1), EPS);
    }

    @Test
    void goodImagesOnlyAddBackground() {
        boolean[] gt = mask(
                "##..",
                "##..",
                "....",
                "....");
        float[] perfect = map(gt, 1, 0);
        // a good image scored all zero changes nothing
        assertEquals(1.0, Aupro.compute(Arrays.asList(perfect, new float[16]),
                Arrays.asList(gt, null), 4, 4), EPS);
        // a good image scored all 1: 16 of 28 background px fire together with the region.
        // Curve (0,0) (16/28, 1) (1,1): PRO at .3 = .3 * 28 / 16 = .525; area .3 * .525 / 2
        float[] ones = new float[16];
        Arrays.fill(ones, 1);
        assertEquals(0.525 / 2, Aupro.compute(Arrays.asList(perfect, ones),
                Arrays.asList(gt, null), 4, 4), EPS);
        // an empty mask is the same as none
        assertEquals(0.525 / 2, Aupro.compute(Arrays.asList(perfect, ones),
                Arrays.asList(gt, new boolean[16]), 4, 4), EPS);
    }

    @Test
    void regionsOfAllImagesWeighEqually() {
        // image 1: one region of 4 px, found. image 2: one region of 1 px, missed (ties with
        // the background). Same curve as two regions in one image: 0.575.
        boolean[] big = mask(
                "##.",
                "##.",
                "...");
        boolean[] small = mask(
                "...",
                "...",
                "..#");
        double got = Aupro.compute(List.of(map(big, 1, 0), new float[9]), List.of(big, small),
                3, 3);
        // background: 5 + 8 = 13 px, all at 0, fire with region 2 -> curve (0,0) (0,.5) (1,1)
        assertEquals(0.575, got, EPS);
    }

    @Test
    void undefinedCasesAreNaN() {
        assertTrue(Double.isNaN(Aupro.compute(List.of(new float[4]), Arrays.asList(
                (boolean[]) null), 2, 2)));
        boolean[] all = {true, true, true, true};
        assertTrue(Double.isNaN(Aupro.compute(List.of(new float[4]), List.of(all), 2, 2)));
        assertThrows(IllegalArgumentException.class,
                () -> Aupro.compute(List.of(new float[4]), List.of(all), 2, 2, 0));
        assertThrows(IllegalArgumentException.class,
                () -> Aupro.compute(List.of(new float[3]), List.of(all), 2, 2));
    }

    @Test
    void matchesThresholdByThresholdReference() {
        Random random = new Random(11);
        for (int trial = 0; trial < 40; trial++) {
            int w = 2 + random.nextInt(6);
            int h = 2 + random.nextInt(6);
            int images = 1 + random.nextInt(3);
            List<float[]> maps = new ArrayList<>();
            List<boolean[]> masks = new ArrayList<>();
            for (int k = 0; k < images; k++) {
                float[] m = new float[w * h];
                boolean[] g = new boolean[w * h];
                for (int i = 0; i < m.length; i++) {
                    g[i] = random.nextInt(4) == 0;
                    m[i] = random.nextInt(5) + (g[i] ? random.nextInt(3) : 0) - 2;
                }
                maps.add(m);
                masks.add(random.nextInt(4) == 0 ? null : g);
            }
            double limit = random.nextBoolean() ? 0.3 : 0.05 + 0.95 * random.nextDouble();
            assertEquals(reference(maps, masks, w, h, limit),
                    Aupro.compute(maps, masks, w, h, limit), 1e-9, "trial " + trial);
        }
    }

    /** Straight from the definition: one full pass over all pixels per distinct threshold. */
    private static double reference(List<float[]> maps, List<boolean[]> masks, int w, int h,
            double limit) {
        List<int[]> labels = new ArrayList<>();
        int regions = 0;
        long background = 0;
        TreeSet<Float> thresholds = new TreeSet<>();
        for (int k = 0; k < maps.size(); k++) {
            int[] l = masks.get(k) == null ? new int[w * h]
                    : ConnectedComponents.label8(masks.get(k), w, h);
            labels.add(l);
            regions += ConnectedComponents.count(l);
            for (int i = 0; i < l.length; i++) {
                background += l[i] == 0 ? 1 : 0;
                thresholds.add(maps.get(k)[i]);
            }
        }
        if (regions == 0 || background == 0) {
            return Double.NaN;
        }
        List<double[]> curve = new ArrayList<>();
        curve.add(new double[] {0, 0});
        for (float t : thresholds.descendingSet()) {
            long fp = 0;
            double pro = 0;
            for (int k = 0; k < maps.size(); k++) {
                int[] l = labels.get(k);
                int n = ConnectedComponents.count(l);
                int[] size = new int[n + 1];
                int[] hit = new int[n + 1];
                for (int i = 0; i < l.length; i++) {
                    boolean on = maps.get(k)[i] >= t;
                    if (l[i] == 0) {
                        fp += on ? 1 : 0;
                    } else {
                        size[l[i]]++;
                        hit[l[i]] += on ? 1 : 0;
                    }
                }
                for (int r = 1; r <= n; r++) {
                    pro += (double) hit[r] / size[r];
                }
            }
            curve.add(new double[] {(double) fp / background, pro / regions});
        }
        double area = 0;
        for (int i = 1; i < curve.size(); i++) {
            double x0 = curve.get(i - 1)[0];
            double y0 = curve.get(i - 1)[1];
            double x1 = curve.get(i)[0];
            double y1 = curve.get(i)[1];
            if (x1 <= limit) {
                area += (x1 - x0) * (y0 + y1) / 2;
            } else {
                double y = y0 + (y1 - y0) * (limit - x0) / (x1 - x0);
                area += (limit - x0) * (y0 + y) / 2;
                break;
            }
        }
        return area / limit;
    }

    @Test
    void handlesBottleSizedInput() {
        int w = 128;
        int h = 128;
        Random random = new Random(5);
        List<float[]> maps = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        for (int k = 0; k < 83; k++) {
            boolean[] g = null;
            float[] m = new float[w * h];
            if (k % 4 != 0) {
                g = new boolean[w * h];
                int cx = random.nextInt(w - 20);
                int cy = random.nextInt(h - 20);
                for (int y = cy; y < cy + 15; y++) {
                    for (int x = cx; x < cx + 15; x++) {
                        g[y * w + x] = true;
                    }
                }
            }
            for (int i = 0; i < m.length; i++) {
                m[i] = random.nextFloat() + (g != null && g[i] ? 0.5f : 0);
            }
            maps.add(m);
            masks.add(g);
        }
        double aupro = Aupro.compute(maps, masks, w, h);
        assertTrue(aupro > 0.3 && aupro < 1, "aupro " + aupro);
    }
}

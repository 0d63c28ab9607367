package ai.dad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AurocTest {
    private static final double EPS = 1e-12;

    @Test
    void perfectSeparationIsOne() {
        assertEquals(1.0, Auroc.compute(new float[] {0.1f, 0.2f, 0.8f, 0.9f},
                new boolean[] {false, false, true, true}), EPS);
    }

    @Test
    void invertedIsZero() {
        assertEquals(0.0, Auroc.compute(new double[] {0.9, 0.8, 0.2, 0.1},
                new boolean[] {false, false, true, true}), EPS);
    }

    @Test
    void allTiedIsOneHalf() {
        assertEquals(0.5, Auroc.compute(new float[] {3, 3, 3, 3, 3},
                new boolean[] {true, false, false, true, false}), EPS);
    }

    @Test
    void mixedExampleWithTies() {
        // positives 0.8, 0.5, 0.3; negatives 0.5, 0.3, 0.1, 0.1
        // 0.8 beats 4 -> 4; 0.5 beats 3, ties 1 -> 3.5; 0.3 beats 2, ties 1 -> 2.5
        // U = 10, P * N = 12
        float[] scores = {0.8f, 0.5f, 0.5f, 0.3f, 0.3f, 0.1f, 0.1f};
        boolean[] labels = {true, true, false, true, false, false, false};
        assertEquals(10.0 / 12, Auroc.compute(scores, labels), EPS);
    }

    @Test
    void negativeZeroTiesWithZero() {
        assertEquals(0.5, Auroc.compute(new float[] {-0.0f, 0.0f}, new boolean[] {true, false}),
                EPS);
    }

    @Test
    void oneClassIsNaN() {
        assertTrue(Double.isNaN(Auroc.compute(new float[] {0.1f, 0.7f},
                new boolean[] {false, false})));
        assertTrue(Double.isNaN(Auroc.compute(new double[] {0.1, 0.7},
                new boolean[] {true, true})));
        assertTrue(Double.isNaN(Auroc.compute(new double[0], new boolean[0])));
    }

    @Test
    void rejectsNaNAndLengthMismatch() {
        assertThrows(IllegalArgumentException.class,
                () -> Auroc.compute(new float[] {Float.NaN, 1}, new boolean[] {true, false}));
        assertThrows(IllegalArgumentException.class,
                () -> Auroc.compute(new double[] {1}, new boolean[] {true, false}));
    }

    @Test
    void matchesPairwiseCountOnRandomTiedData() {
        Random random = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(60);
            float[] scores = new float[n];
            boolean[] labels = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(8) / 4f - 1; // many ties, negatives included
                labels[i] = random.nextBoolean();
            }
            double twiceU = 0;
            long pairs = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (labels[a] && !labels[b]) {
                        pairs++;
                        twiceU += scores[a] > scores[b] ? 2 : scores[a] == scores[b] ? 1 : 0;
                    }
                }
            }
            double expected = pairs == 0 ? Double.NaN : twiceU / (2.0 * pairs);
            assertEquals(expected, Auroc.compute(scores, labels), EPS);
        }
    }

    @Test
    void handlesPooledPixelSizes() {
        int n = 83 * 128 * 128;
        Random random = new Random(7);
        float[] scores = new float[n];
        boolean[] labels = new boolean[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(20) == 0;
            scores[i] = (float) random.nextGaussian() + (labels[i] ? 1 : 0);
        }
        double auc = Auroc.compute(scores, labels);
        // two unit Gaussians one apart: Phi(1 / sqrt 2) = 0.7602
        assertEquals(0.7602, auc, 0.005);
    }
}

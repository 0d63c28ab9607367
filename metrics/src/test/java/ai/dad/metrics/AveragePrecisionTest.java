package ai.dad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AveragePrecisionTest {
    private static final double EPS = 1e-12;

    @Test
    void perfectIsOne() {
        assertEquals(1.0, AveragePrecision.compute(new float[] {0.9f, 0.8f, 0.2f, 0.1f},
                new boolean[] {true, true, false, false}), EPS);
    }

    @Test
    void handExample() {
        // thresholds 0.9 (R .5, P 1), 0.8 (no new recall), 0.7 (R 1, P 2/3)
        assertEquals((1 + 2.0 / 3) / 2, AveragePrecision.compute(
                new double[] {0.9, 0.8, 0.7, 0.6}, new boolean[] {true, false, true, false}),
                EPS);
    }

    @Test
    void tiesEnterTogether() {
        // 0.9: one positive, one negative tied -> R 1/2, P 1/2; 0.5: R 1, P 2/3
        // AP = 1/2 * 1/2 + 1/2 * 2/3 = 7/12
        assertEquals(7.0 / 12, AveragePrecision.compute(new float[] {0.9f, 0.9f, 0.5f, 0.1f},
                new boolean[] {true, false, true, false}), EPS);
        // everything tied: AP = prevalence
        assertEquals(0.4, AveragePrecision.compute(new float[] {1, 1, 1, 1, 1},
                new boolean[] {true, false, true, false, false}), EPS);
    }

    @Test
    void noPositivesIsNaNAndNoNegativesIsOne() {
        assertTrue(Double.isNaN(AveragePrecision.compute(new float[] {0.3f, 0.2f},
                new boolean[] {false, false})));
        assertEquals(1.0, AveragePrecision.compute(new float[] {0.3f, 0.2f},
                new boolean[] {true, true}), EPS);
    }

    @Test
    void matchesDirectDefinitionOnRandomTiedData() {
        Random random = new Random(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(40);
            float[] scores = new float[n];
            boolean[] labels = new boolean[n];
            int positives = 0;
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(6);
                labels[i] = random.nextBoolean();
                positives += labels[i] ? 1 : 0;
            }
            // direct: for each distinct threshold, count TP and FP at score >= t
            double expected = positives == 0 ? Double.NaN : 0;
            double previousRecall = 0;
            for (int t = 5; t >= 0 && positives > 0; t--) {
                int tp = 0;
                int fp = 0;
                boolean present = false;
                for (int i = 0; i < n; i++) {
                    present |= scores[i] == t;
                    if (scores[i] >= t) {
                        tp += labels[i] ? 1 : 0;
                        fp += labels[i] ? 0 : 1;
                    }
                }
                if (!present) {
                    continue;
                }
                double recall = (double) tp / positives;
                if (tp + fp > 0) {
                    expected += (recall - previousRecall) * tp / (tp + fp);
                }
                previousRecall = recall;
            }
            assertEquals(expected, AveragePrecision.compute(scores, labels), 1e-12);
        }
    }
}

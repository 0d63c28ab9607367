package ai.dad.toolkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.ModelManifest;
import org.junit.jupiter.api.Test;

class CalibratorTest {
    private static final double[] GOOD = {0.1, 0.2, 0.3, 0.4, 0.5};

    @Test
    void maxRuleAddsTheMarginAboveTheHighestGoodScore() {
        ModelManifest.Calibration c = Calibrator.fromGoodScores(GOOD, "max", 0.1);
        assertEquals(0.3, c.center, 1e-12);
        assertEquals(0.3 + 0.2 * 1.1, c.threshold, 1e-12);
        assertEquals(c.threshold - c.center, c.scale, 1e-12);
        assertTrue(c.rule.startsWith("max"), c.rule);
    }

    @Test
    void percentileAndSigmaRules() {
        assertEquals(0.46, Calibrator.fromGoodScores(GOOD, "percentile:90", 0).threshold, 1e-12);
        double std = Math.sqrt(0.02);
        assertEquals(0.3 + 2 * std, Calibrator.fromGoodScores(GOOD, "sigma:2", 0).threshold, 1e-12);
    }

    @Test
    void badRulesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Calibrator.fromGoodScores(GOOD, "median", 0));
        assertTrue(e.getMessage().contains("median"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Calibrator.fromGoodScores(GOOD, "percentile", 0));
        assertThrows(IllegalArgumentException.class, () -> Calibrator.fromGoodScores(new double[0], "max", 0));
        assertThrows(IllegalArgumentException.class, () -> Calibrator.fromGoodScores(GOOD, "max", -1));
    }

    @Test
    void equalGoodScoresStillGiveAPositiveScale() {
        ModelManifest.Calibration c = Calibrator.fromGoodScores(new double[] {0.2, 0.2}, "max", 0.1);
        assertTrue(c.scale > 0 && c.threshold > 0.2);
    }
}

package ai.dad.toolkit.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class LearningRateTest {

    @Test
    void cosineCyclesLikePyTorchsCosineAnnealingStepsPastTMax() {
        // PyTorch: CosineAnnealingLR(T_max=10, eta_min=0) stepped every iteration, base 1e-5.
        // DJL asks with the update count, from 1, so update k is step k - 1.
        Tracker lr = LearningRate.parse("cosine:10", 1e-5, 0);
        assertEquals(1e-5, lr.getNewValue(1), 1e-12);
        assertEquals(1e-5 * (1 + Math.cos(Math.PI / 10)) / 2, lr.getNewValue(2), 1e-12);
        assertEquals(0.5e-5, lr.getNewValue(6), 1e-12);
        assertEquals(0, lr.getNewValue(11), 1e-12);
        assertEquals(0.5e-5, lr.getNewValue(16), 1e-12);
        assertEquals(1e-5, lr.getNewValue(21), 1e-12);
        assertEquals(0, lr.getNewValue(31), 1e-12);
    }

    @Test
    void aResumedRunContinuesTheCycle() {
        Tracker resumed = LearningRate.parse("cosine:10", 1e-5, 5);
        assertEquals(0.5e-5, resumed.getNewValue(1), 1e-12);
        assertEquals(0, resumed.getNewValue(6), 1e-12);
    }

    @Test
    void constantIsConstant() {
        Tracker lr = LearningRate.parse("constant", 2e-4, 0);
        assertEquals(2e-4, lr.getNewValue(1), 1e-9);
        assertEquals(2e-4, lr.getNewValue(12345), 1e-9);
    }

    @Test
    void unknownSchedulesAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRate.parse("cosine:0", 1, 0));
        assertEquals("unknown learning-rate schedule 'cosine:0': use constant or cosine:T (T > 0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LearningRate.parse("step", 1, 0));
    }
}

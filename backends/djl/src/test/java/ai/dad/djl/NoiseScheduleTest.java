package ai.dad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.djl.schedule.CosineScheduleProvider;
import ai.dad.djl.schedule.LinearScheduleProvider;
import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.plugin.Plugins;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoiseScheduleTest {

    @Test
    void linearMatchesThePaperCheckValues() {
        NoiseSchedule s = new LinearScheduleProvider().create(1000, Map.of());
        assertEquals(1e-4, s.beta(0), 1e-12);
        assertEquals(0.02, s.beta(999), 1e-12);
        // DESIGN.md's check values to 4 decimals, and numpy's cumprod over the reference's linspace.
        assertEquals(0.6564, s.alphaBar(200), 1e-4);
        assertEquals(0.1936, s.alphaBar(400), 1e-4);
        assertEquals(0.6563470055193468, s.alphaBar(200), 1e-12);
        assertEquals(0.19357200966664662, s.alphaBar(400), 1e-12);
    }

    @Test
    void linearScalesBothEndsForOtherLengths() {
        NoiseSchedule s = new LinearScheduleProvider().create(500, Map.of());
        assertEquals(2e-4, s.beta(0), 1e-12);
        assertEquals(0.04, s.beta(499), 1e-12);
    }

    @Test
    void cosineIsIncreasingCappedAndDecaysToNoise() {
        NoiseSchedule s = new CosineScheduleProvider().create(1000, Map.of());
        for (int t = 1; t < 1000; t++) {
            assertTrue(s.beta(t) >= s.beta(t - 1), "beta must not decrease at " + t);
            assertTrue(s.alphaBar(t) < s.alphaBar(t - 1));
        }
        assertTrue(s.beta(999) <= 0.999);
        assertTrue(s.alphaBar(999) < 1e-4);
        assertEquals(1.0, s.alphaBarPrev(0));
    }

    @Test
    void schedulesAreFoundByNameAndTimestepsAreChecked() {
        Plugins plugins = Plugins.fromClassPath();
        assertEquals("cosine", plugins.schedule("cosine").name());
        NoiseSchedule s = plugins.schedule("linear").create(100, Map.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.alphaBar(100));
        assertTrue(e.getMessage().contains("timestep 100"), e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> plugins.schedule("nope"));
        assertTrue(unknown.getMessage().contains("'nope'") && unknown.getMessage().contains("linear"), unknown.getMessage());
    }
}

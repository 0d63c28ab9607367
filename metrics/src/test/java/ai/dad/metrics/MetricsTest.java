package ai.dad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double EPS = 1e-9;

    @Test
    void overallAndPerDefectType() {
        // 2x2 maps. good: scores .1 and .5; crack: .9 (perfect map); hole: .3 (map misses)
        Metrics metrics = new Metrics(2, 2)
                .add("good", 0.1, false, new float[] {0, 0, 0, 0}, (float[]) null)
                .add("good", 0.5, false, new float[] {0, 0, 0, 0}, (float[]) null)
                .add("crack", 0.9, true, new float[] {1, 0, 0, 0}, new float[] {1, 0, 0, 0})
                .add("hole", 0.3, true, new float[] {0, 0, 0, 0}, new float[] {0, 0, 0, 255});
        Metrics.Report report = metrics.compute();
        assertEquals(Set.of("crack", "hole"), report.perDefectType().keySet());

        Metrics.Scores overall = report.overall();
        assertEquals(4, overall.images());
        assertEquals(2, overall.anomalous());
        // image: .9 beats both goods (2), .3 beats one (1) -> 3 / 4
        assertEquals(75, overall.imageAuroc(), EPS);
        // pixels: 16, positives {1 (crack), 0 (hole)}, 14 negatives all 0
        // AUROC: 1 beats 14 -> 14; 0 ties 14 -> 7; 21 / 28
        assertEquals(75, overall.pixelAuroc(), EPS);
        // AP: t=1 -> R .5, P 1; t=0 -> R 1, P 2/16 -> .5 + .5 / 8
        assertEquals(100 * (0.5 + 0.0625), overall.pixelAp(), EPS);
        // AUPRO: two regions, one found: curve (0,0) (0,.5) (1,1) -> 57.5
        assertEquals(57.5, overall.pixelAupro(), EPS);

        Metrics.Scores crack = report.perDefectType().get("crack");
        assertEquals(3, crack.images());
        assertEquals(1, crack.anomalous());
        assertEquals(100, crack.imageAuroc(), EPS);
        assertEquals(100, crack.pixelAuroc(), EPS);
        assertEquals(100, crack.pixelAp(), EPS);
        assertEquals(100, crack.pixelAupro(), EPS);

        Metrics.Scores hole = report.perDefectType().get("hole");
        assertEquals(3, hole.images());
        assertEquals(50, hole.imageAuroc(), EPS);
        assertEquals(50, hole.pixelAuroc(), EPS);
        assertEquals(100.0 / 12, hole.pixelAp(), EPS); // everything tied: prevalence 1 / 12
        assertEquals(15, hole.pixelAupro(), EPS);
        assertTrue(report.toString().startsWith("overall: images=4"));
    }

    @Test
    void missingMapsGiveImageLevelOnly() {
        Metrics.Report report = new Metrics(2, 2)
                .add("good", 0.1, false, null, (boolean[]) null)
                .add("scratch", 0.8, true, null, new boolean[] {true, false, false, false})
                .compute();
        assertEquals(100, report.overall().imageAuroc(), EPS);
        assertTrue(Double.isNaN(report.overall().pixelAuroc()));
        assertTrue(Double.isNaN(report.overall().pixelAupro()));
    }

    @Test
    void labelsWithoutMasksGiveImageMetricsAndDecisions() {
        // "ng" has no masks, "dent" has: only dent's subset has pixel metrics.
        Metrics.Report report = new Metrics(1, 2)
                .add("good", 0.1, false, new float[] {0, 0}, (boolean[]) null)
                .add("good", 0.6, false, new float[] {0, 0}, (boolean[]) null)
                .add("ng", 0.4, true, new float[] {1, 0}, (boolean[]) null)
                .add("ng", 0.9, true, new float[] {1, 0}, (boolean[]) null)
                .add("dent", 0.8, true, new float[] {1, 0}, new boolean[] {true, false})
                .compute(0.5);
        assertEquals(List.of("ng"), report.typesWithoutMasks());
        assertTrue(Double.isNaN(report.overall().pixelAuroc()));
        assertTrue(Double.isNaN(report.perDefectType().get("ng").pixelAupro()));
        assertEquals(100, report.perDefectType().get("dent").pixelAuroc(), EPS);
        assertEquals(75, report.perDefectType().get("ng").imageAuroc(), EPS);
        // >= 0.5 is NG: the good 0.6 is a false NG, the ng 0.4 a false OK.
        assertEquals(new Metrics.Decisions(0.5, 2, 1, 3, 1), report.atThreshold());
        String table = report.table();
        assertTrue(table.contains("false NG 1 of 2 good images, false OK 1 of 3 anomalous images"), table);
        assertTrue(table.contains("no pixel metrics for ng: pixel metrics need masks"), table);
        assertTrue(table.lines().anyMatch(l -> l.startsWith("ng") && l.endsWith("-")), table);
        assertEquals(List.of("ng"), report.toMap().get("types_without_masks"));
        assertEquals(1, ((java.util.Map<?, ?>) report.toMap().get("at_threshold")).get("false_ok"));
    }

    @Test
    void noGoodImagesGivesNaNImageAuroc() {
        Metrics.Report report = new Metrics(1, 2)
                .add("dent", 0.8, true, new float[] {1, 0}, new boolean[] {true, false})
                .compute();
        assertTrue(Double.isNaN(report.overall().imageAuroc()));
        assertEquals(100, report.overall().pixelAuroc(), EPS);
        assertEquals(List.of("dent"), List.copyOf(report.perDefectType().keySet()));
    }

    @Test
    void rejectsWrongSizes() {
        Metrics metrics = new Metrics(2, 2);
        assertThrows(IllegalArgumentException.class,
                () -> metrics.add("good", 0, false, new float[3], (boolean[]) null));
        assertThrows(IllegalArgumentException.class,
                () -> metrics.add("hole", 0, true, new float[4], new boolean[5]));
    }
}

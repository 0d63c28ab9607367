package ai.dad.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The evaluation core both eval commands share: what goes in, and the table and JSON that come out. */
class EvaluationTest {

    private static final float[] DEFECT_IN_CORNER = {1, 0, 0, 0};

    @Test
    void scoresMapsAndPlacedMasksMakeTheReport() throws IOException {
        Evaluation evaluation = new Evaluation();
        Path mask = Path.of("ground_truth/crack/000_mask.png");
        Evaluation.MaskPlacement placement = file -> {
            assertEquals(mask, file, "the item's own mask is placed");
            return DEFECT_IN_CORNER;
        };
        assertNull(evaluation.add(new TestSet.Item(Path.of("test/good/000.png"), TestSet.GOOD, null, "good/000.png"),
                0.2, new float[] {0.1f, 0.1f, 0.1f, 0.1f}, 2, 2, placement), "no mask for a good image");
        assertArrayEquals(DEFECT_IN_CORNER, evaluation.add(new TestSet.Item(Path.of("test/crack/000.png"), "crack", mask,
                "crack/000.png"), 0.9, new float[] {0.9f, 0.1f, 0.1f, 0.1f}, 2, 2, placement));

        Metrics.Report report = evaluation.report(0.5);
        assertEquals(100.0, report.overall().imageAuroc(), 1e-9);
        assertEquals(100.0, report.overall().pixelAuroc(), 1e-9);
        assertEquals(0, report.atThreshold().falseNg());
        assertEquals(0, report.atThreshold().falseOk());

        String table = Evaluation.table("model m", report);
        assertTrue(table.startsWith("model m" + System.lineSeparator() + "subset"), table);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", "m");
        run.put("t", 200);
        JsonObject json = JsonParser.parseString(Evaluation.json(report, run)).getAsJsonObject();
        assertEquals(100.0, json.get("image_auroc").getAsDouble(), 1e-9);
        assertEquals("m", json.get("model").getAsString());
        assertEquals(200, json.get("t").getAsInt());
        assertTrue(json.has("per_defect_type") && json.has("at_threshold"), json.toString());
    }

    @Test
    void nothingScoredIsAnError() {
        assertThrows(IllegalStateException.class, () -> new Evaluation().report(null));
    }
}

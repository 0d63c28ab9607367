package ai.dad.service.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.toolkit.cli.DadCli;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * {@code dad-client eval} through the real service agrees with {@code dad eval} run in-process on
 * the same model and test set: image AUROC exactly (the same scores), the pixel metrics within
 * {@link #PIXEL_TOLERANCE} points (the client computes them on the model's float maps, sent as
 * raw_map; see docs/CLIENT.md).
 */
@QuarkusTest
class ClientEvalAgreementTest {

    /**
     * Largest difference allowed in pixel AUROC, AUPRO and AP, in percentage points: the client
     * gets the model's float maps (raw_map), so only float rounding may differ.
     */
    static final double PIXEL_TOLERANCE = 0.001;

    @Test
    void clientEvalEqualsBackendEval() throws Exception {
        ClientRuns.awaitServing();
        Path dir = ClientRuns.freshDir("eval");
        Path data = dir.resolve("demo-data");
        assertEquals(0, DadCli.commandLine().execute("demo-data", "--out", data.toString(), "--train", "0",
                "--test-good", "4", "--test-per-defect", "3"));
        Path model = Path.of(ConfigProvider.getConfig().getValue("dad.models.dir", String.class), "demo");
        Path backendJson = dir.resolve("dad-eval.json");
        assertEquals(0, DadCli.commandLine().execute("eval", "--model", model.toString(), "--data", data.toString(),
                "--json", backendJson.toString()));

        Path clientJson = dir.resolve("dad-client-eval.json");
        ClientRuns.Result r = ClientRuns.run("eval", data.toString(), "--json", clientJson.toString(),
                "--target", ClientRuns.target());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("overall"), r.out());

        JsonObject backend = JsonParser.parseString(Files.readString(backendJson)).getAsJsonObject();
        JsonObject client = JsonParser.parseString(Files.readString(clientJson)).getAsJsonObject();
        StringBuilder report = new StringBuilder("dad eval vs dad-client eval (demo model, 13 images):\n");
        compare("overall", backend, client, report);
        JsonObject backendTypes = backend.getAsJsonObject("per_defect_type");
        JsonObject clientTypes = client.getAsJsonObject("per_defect_type");
        assertEquals(backendTypes.keySet(), clientTypes.keySet());
        for (Map.Entry<String, com.google.gson.JsonElement> e : backendTypes.entrySet()) {
            compare(e.getKey(), e.getValue().getAsJsonObject(), clientTypes.getAsJsonObject(e.getKey()), report);
        }
        System.out.print(report);
    }

    private static void compare(String subset, JsonObject backend, JsonObject client, StringBuilder report) {
        assertEquals(backend.get("images").getAsInt(), client.get("images").getAsInt(), subset);
        assertEquals(backend.get("anomalous").getAsInt(), client.get("anomalous").getAsInt(), subset);
        double imageBackend = backend.get("image_auroc").getAsDouble();
        double imageClient = client.get("image_auroc").getAsDouble();
        report.append(String.format(Locale.ROOT, "%-8s image_auroc %7.3f | %7.3f", subset, imageBackend, imageClient));
        assertEquals(imageBackend, imageClient, 0.0, subset + " image_auroc");
        for (String metric : new String[] {"pixel_auroc", "pixel_aupro", "pixel_ap"}) {
            double b = backend.get(metric).getAsDouble();
            double c = client.get(metric).getAsDouble();
            report.append(String.format(Locale.ROOT, "  %s %7.3f | %7.3f (%+.3f)", metric, b, c, c - b));
            assertTrue(Math.abs(b - c) <= PIXEL_TOLERANCE, subset + " " + metric + ": dad eval " + b
                    + ", dad-client eval " + c);
        }
        report.append('\n');
    }
}

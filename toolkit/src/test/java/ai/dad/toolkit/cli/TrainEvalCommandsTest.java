package ai.dad.toolkit.cli;

import ai.dad.toolkit.Directories;
import ai.dad.imaging.Png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.imaging.RgbImage;
import ai.dad.djl.TestModels;
import ai.dad.spi.ModelManifest;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** train -> eval -> calibrate -> synth on a generated MVTec-layout category, through the real CLI. */
class TrainEvalCommandsTest {
    @TempDir
    Path temp;

    @Test
    void trainEvaluateAndCalibrateATinyModel() throws Exception {
        Path category = makeCategory(temp.resolve("part"));
        Path model = temp.resolve("model");

        assertEquals(0, run("train", "--data", category.toString(), "--out", model.toString(), "--preset", "tiny",
                "--image-size", "32", "--seg-base", "8", "--steps", "3", "--batch", "2", "--checkpoint-every", "2",
                "--device", "cpu"));
        ModelManifest manifest = ModelManifest.read(model);
        assertEquals(32, manifest.architecture.imageSize);
        assertNotNull(manifest.calibration.threshold, "held-out good images calibrate the threshold");
        assertTrue(Files.isRegularFile(temp.resolve("model.training/checkpoint/training-state.json")),
                "a checkpoint was written beside the model");
        try (var files = Files.list(model)) {
            assertEquals(List.of("manifest.json", "seg.params", "unet.params"),
                    files.map(f -> f.getFileName().toString()).sorted().toList(), "the model holds only what serving needs");
        }

        Path json = temp.resolve("eval.json");
        Path maps = temp.resolve("maps");
        assertEquals(0, run("eval", "--model", model.toString(), "--data", category.toString(), "--json", json.toString(),
                "--maps", maps.toString(), "--device", "cpu"));
        JsonObject result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        for (String key : List.of("image_auroc", "pixel_auroc", "pixel_aupro", "pixel_ap")) {
            double v = result.get(key).getAsDouble();
            assertTrue(v >= 0 && v <= 100, key + " is a percentage: " + v);
        }
        assertTrue(result.getAsJsonObject("per_defect_type").has("scratch"));
        assertEquals("model", result.get("model").getAsString(), "the id is the directory name");
        assertEquals(2, result.getAsJsonObject("at_threshold").get("good").getAsInt());

        // OK/NG labels without masks: image-level figures, and a word on why there are no pixel ones.
        Directories.deleteTree(category.resolve("ground_truth"));
        StringWriter out = new StringWriter();
        CommandLine eval = DadCli.commandLine();
        eval.setOut(new PrintWriter(out));
        assertEquals(0, eval.execute("eval", "--model", model.toString(), "--data", category.toString(),
                "--json", json.toString(), "--device", "cpu"));
        result = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        assertTrue(result.get("image_auroc").getAsDouble() >= 0);
        assertTrue(Double.isNaN(result.get("pixel_auroc").getAsDouble()));
        assertEquals("[\"scratch\"]", result.get("types_without_masks").toString());
        assertEquals(2, result.getAsJsonObject("at_threshold").get("anomalous").getAsInt());
        assertTrue(out.toString().contains("pixel metrics need masks"), out.toString());
        assertTrue(out.toString().contains("false OK"), out.toString());
        try (var files = Files.list(maps)) {
            assertEquals(4, files.count(), "one panel per test image");
        }

        assertEquals(0, run("eval", "--model", model.toString(), "--data", category.toString(), "--mode", "ddim",
                "--t", "50", "--ddim-steps", "2", "--device", "cpu"));

        assertEquals(0, run("calibrate", "--model", model.toString(), "--data", category.resolve("test/good").toString(),
                "--rule", "percentile:50", "--device", "cpu"));
        assertTrue(ModelManifest.read(model).calibration.rule.startsWith("percentile:50"));

        assertEquals(0, run("synth", "--data", category.toString(), "--out", temp.resolve("synth").toString(), "-n", "3",
                "--image-size", "32"));
        assertTrue(Files.isRegularFile(temp.resolve("synth/0002_mask.png")));
        assertTrue(Files.isRegularFile(temp.resolve("synth/0002_foreground.png")));
    }

    @Test
    void theLearningCurveAndTheTimeBudget() throws Exception {
        Path category = makeCategory(temp.resolve("part"));
        Path model = temp.resolve("model");
        // A budget of 0 minutes stops after the first step: the model is saved and its test-set
        // score is the last line of the curve.
        assertEquals(0, run("train", "--data", category.toString(), "--out", model.toString(), "--preset", "tiny",
                "--image-size", "32", "--seg-base", "8", "--steps", "50", "--batch", "2", "--max-minutes", "0",
                "--eval-data", category.toString(), "--seg-lr-schedule", "cosine:10", "--device", "cpu"));
        assertTrue(Files.isRegularFile(model.resolve("manifest.json")));
        List<String> lines = Files.readAllLines(temp.resolve("model.training/training-log.jsonl"));
        assertEquals(1, lines.size(), String.join("\n", lines));
        JsonObject line = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        assertEquals(1, line.get("step").getAsInt());
        assertTrue(line.get("loss").getAsDouble() > 0);
        double auroc = line.getAsJsonObject("test").get("image_auroc").getAsDouble();
        assertTrue(auroc >= 0 && auroc <= 100, "test metrics recorded: " + line);

        StringWriter err = new StringWriter();
        CommandLine cl = DadCli.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("train", "--data", category.toString(), "--out", temp.resolve("m2").toString(),
                "--seg-lr-schedule", "step"));
        assertTrue(err.toString().contains("unknown learning-rate schedule 'step'"), err.toString());
    }

    @Test
    void missingDataIsAClearError() {
        StringWriter err = new StringWriter();
        CommandLine cl = DadCli.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("eval", "--model", temp.toString(), "--data", temp.resolve("nope").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("nope"), err.toString());
    }

    private static int run(String... args) {
        CommandLine cl = DadCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    /** train/good (6), test/good (2), test/scratch (2) with ground-truth masks. */
    static Path makeCategory(Path root) throws Exception {
        List<RgbImage> parts = TestModels.parts(10, 48);
        Files.createDirectories(root.resolve("train/good"));
        Files.createDirectories(root.resolve("test/good"));
        Files.createDirectories(root.resolve("test/scratch"));
        Files.createDirectories(root.resolve("ground_truth/scratch"));
        for (int i = 0; i < 6; i++) {
            Png.write(parts.get(i), root.resolve("train/good/" + i + ".png"));
        }
        for (int i = 0; i < 2; i++) {
            Png.write(parts.get(6 + i), root.resolve("test/good/00" + i + ".png"));
            float[] pixels = parts.get(8 + i).toArray();
            float[] mask = new float[48 * 48];
            for (int y = 10; y < 20; y++) {
                for (int x = 5; x < 40; x++) {
                    mask[y * 48 + x] = 1;
                    for (int c = 0; c < 3; c++) {
                        pixels[(c * 48 + y) * 48 + x] = 0.05f;
                    }
                }
            }
            Png.write(RgbImage.of(48, 48, pixels), root.resolve("test/scratch/00" + i + ".png"));
            Png.writeGray(mask, 48, 48, root.resolve("ground_truth/scratch/00" + i + "_mask.png"));
        }
        return root;
    }
}

package ai.dad.toolkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.ModelManifest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** An official checkpoint imported with bin/dad import evaluates, calibrates and fine-tunes like any model. */
class ImportCommandTest {
    @TempDir
    Path temp;

    @Test
    void anImportedModelEvaluatesCalibratesAndFineTunes() throws Exception {
        Path checkpoint = Path.of(getClass().getResource("/official/heads/params-best.pt").toURI());
        Path model = temp.resolve("models/heads");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "import", "--checkpoint", checkpoint.toString(), "--out", model.toString()), err.toString());
        assertTrue(err.toString().contains("uncalibrated"), err.toString());
        ModelManifest imported = ModelManifest.read(model);
        assertEquals(32, imported.architecture.headChannels);
        assertEquals("cosine", imported.schedule.name);
        assertNull(imported.calibration.threshold);

        Path category = TrainEvalCommandsTest.makeCategory(temp.resolve("part"));
        assertEquals(0, run(err, "eval", "--model", model.toString(), "--data", category.toString(), "--device", "cpu"), err.toString());
        assertEquals(0, run(err, "calibrate", "--model", model.toString(), "--data", category.resolve("train/good").toString(),
                "--device", "cpu"), err.toString());
        assertNotNull(ModelManifest.read(model).calibration.threshold);

        Path tuned = temp.resolve("tuned");
        assertEquals(0, run(err, "train", "--init", model.toString(), "--data", category.toString(), "--out", tuned.toString(),
                "--steps", "2", "--batch", "2", "--device", "cpu"), err.toString());
        ModelManifest fineTuned = ModelManifest.read(tuned);
        assertEquals(imported.architecture.headChannels, fineTuned.architecture.headChannels, "architecture kept");
        assertEquals(imported.inference.tSmall, fineTuned.inference.tSmall, "inference settings kept");
        assertNotNull(fineTuned.calibration.threshold, "calibrated on its own held-out images");
        assertNotEquals(-1, Files.mismatch(model.resolve("unet.params"), tuned.resolve("unet.params")), "weights moved");

        StringWriter usage = new StringWriter();
        assertEquals(2, run(usage, "train", "--init", model.toString(), "--preset", "paper", "--data", category.toString(),
                "--out", temp.resolve("x").toString()));
        assertTrue(usage.toString().contains("--preset cannot change the architecture"), usage.toString());
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cl = DadCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}

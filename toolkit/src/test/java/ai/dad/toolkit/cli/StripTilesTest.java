package ai.dad.toolkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.dad.spi.ModelManifest;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Thin scratches on long strips (docs/TRAINING.md, Frames): a 512 x 128 strip squeezed whole
 * into the 32 px model shrinks a 2-3 px scratch to a sixth of a pixel across; cut into 128 px
 * tiles it keeps half to three quarters of one. Opt-in ({@code -Ddad.test.strip-steps=600}; about
 * 2.5 minutes): both models are trained here and scored on the same test strips. Not in the
 * default suite because the result varies from run to run (stretch scored 94.4, 86.1 and 100.0
 * in three runs, tiles 100.0 each time: docs/TRAINING.md).
 */
class StripTilesTest {
    private static final Integer STEPS = Integer.getInteger("dad.test.strip-steps");

    @TempDir
    Path temp;

    @Test
    void tilesFindTheScratchesThatStretchingLoses() throws Exception {
        assumeTrue(STEPS != null, "opt-in: -Ddad.test.strip-steps=N trains two models for N steps each");
        Strips.category(temp.resolve("strips"), 12, 6, 3);
        double stretch = trainAndScore("stretch", List.of());
        double tiles = trainAndScore("tiles", List.of("--tile", "128", "--overlap", "32"));
        ModelManifest tiled = ModelManifest.read(temp.resolve("tiles"));
        assertEquals("tiles", tiled.preprocess.fit);
        assertEquals(List.of(Strips.WIDTH, Strips.HEIGHT), tiled.preprocess.frameSize);
        System.out.printf(Locale.ROOT, "strips, %d steps: image AUROC stretch %.1f, tiles %.1f%n", STEPS, stretch, tiles);
        assertTrue(tiles >= stretch, "tiles " + tiles + " vs stretch " + stretch);
    }

    private double trainAndScore(String name, List<String> layout) throws Exception {
        Path data = temp.resolve("strips");
        Path model = temp.resolve(name);
        List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--out", model.toString(),
                "--preset", "demo", "--image-size", "32", "--steps", String.valueOf(STEPS), "--batch", "4", "--foreground", "none",
                "--val-fraction", "0.2", "--device", "cpu", "--seed", "1"));
        args.addAll(layout);
        assertEquals(0, run(args.toArray(String[]::new)));
        Path json = temp.resolve(name + ".json");
        assertEquals(0, run("eval", "--model", model.toString(), "--data", data.toString(), "--json", json.toString(),
                "--device", "cpu"));
        return JsonParser.parseString(Files.readString(json)).getAsJsonObject().get("image_auroc").getAsDouble();
    }

    private static int run(String... args) {
        CommandLine cl = DadCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }
}

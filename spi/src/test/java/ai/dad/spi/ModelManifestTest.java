package ai.dad.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, writing and validating manifest.json, the contract between the tools, the service and backends. */
class ModelManifestTest {

    @TempDir
    Path temp;

    @Test
    void theDefaultsAreValidAndSurviveAWriteAndARead() throws IOException {
        ModelManifest manifest = new ModelManifest();
        assertEquals(List.of(), manifest.validate());
        manifest.preprocess.fit = "tiles";
        manifest.preprocess.tile = 256;
        manifest.preprocess.overlap = 32;
        manifest.preprocess.frameSize = List.of(1024, 256);
        manifest.write(temp.resolve("m"));
        ModelManifest read = ModelManifest.read(temp.resolve("m"));
        assertEquals(manifest.toJson(), read.toJson());
        assertEquals(manifest.toJson(), read.copy().toJson());
    }

    @Test
    void everyProblemIsNamedInOneMessage() {
        String json = """
                {"format_version": 1,
                 "architecture": {"image_size": 100, "unet_base": 48},
                 "inference": {"t_s": 200, "t_b": 2000, "precision": "int8"},
                 "weights": {"format": "djl", "unet": "../elsewhere.params", "seg": "seg.params"}}""";
        IOException e = assertThrows(IOException.class, () -> ModelManifest.parse(json, "test.json"));
        String m = e.getMessage();
        for (String expected : List.of("test.json", "image_size 100", "unet_base 48", "below schedule.steps",
                "inference.precision", "'../elsewhere.params' must be a plain file name")) {
            assertTrue(m.contains(expected), "'" + expected + "' missing from: " + m);
        }
    }

    @Test
    void aBadLayoutIsRefused() {
        ModelManifest manifest = new ModelManifest();
        manifest.preprocess.roi = List.of(0, 0, 10);
        assertEquals(List.of("preprocess.roi must be [x, y, width, height]"), manifest.validate());
        manifest.preprocess.roi = null;
        manifest.preprocess.fit = "squash";
        assertTrue(manifest.validate().get(0).startsWith("preprocess: "), manifest.validate().toString());
    }

    @Test
    void aMissingOrBrokenFileSaysWhich() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> ModelManifest.read(temp));
        assertTrue(missing.getMessage().contains("not a model directory"), missing.getMessage());
        Files.writeString(temp.resolve(ModelManifest.FILE_NAME), "{not json");
        IOException broken = assertThrows(IOException.class, () -> ModelManifest.read(temp));
        assertTrue(broken.getMessage().contains("not valid manifest JSON"), broken.getMessage());
    }
}

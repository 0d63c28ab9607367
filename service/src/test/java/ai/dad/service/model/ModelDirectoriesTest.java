package ai.dad.service.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders are served, and what a user is told about the rest; no model is loaded. */
class ModelDirectoriesTest {
    @TempDir
    Path root;

    private final List<String> notes = new ArrayList<>();

    @Test
    void servesFinishedModelsAndSaysWhyTheRestIsLeftOut() throws IOException {
        touch("washer/manifest.json", "bolt/manifest.json", "washer.training/training-log.jsonl",
                "old-run/manifest.json", "old-run/" + ModelManifest.TRAINING_STATE_FILE);
        assertEquals(List.of(root.resolve("bolt"), root.resolve("washer")), ModelDirectories.find(root, notes::add));
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("old-run is a training checkpoint"), notes.get(0));
        assertTrue(notes.get(1).contains("washer.training holds no manifest.json"), notes.get(1));
    }

    @Test
    void aModelsDirThatIsItselfAModelIsAClearError() throws IOException {
        touch("washer/manifest.json", "washer.training/checkpoint/manifest.json");
        IOException e = assertThrows(IOException.class, () -> ModelDirectories.find(root.resolve("washer"), notes::add));
        assertTrue(e.getMessage().contains("is itself a model directory"), e.getMessage());
        assertTrue(e.getMessage().contains("(" + root.toAbsolutePath().normalize() + ")"), e.getMessage());
    }

    @Test
    void directoriesBeingWrittenArePassedOverSilently() throws IOException {
        touch("washer/manifest.json", ".incoming-bolt/manifest.json", "nut.tmp/manifest.json", "..data/manifest.json");
        assertEquals(List.of(root.resolve("washer")), ModelDirectories.find(root, notes::add));
        assertEquals(List.of(), notes);
    }

    @Test
    void defaultIsTheConfiguredOneElseTheFirstServingInOrder() {
        assertEquals("washer", ModelDirectories.defaultModel(Optional.empty(), List.of("washer")));
        assertEquals("bolt", ModelDirectories.defaultModel(Optional.empty(), List.of("bolt", "washer")));
        assertEquals("washer", ModelDirectories.defaultModel(Optional.of("washer"), List.of("bolt", "washer")));
        assertEquals("nut", ModelDirectories.defaultModel(Optional.of("nut"), List.of("bolt")), "configured, whether it serves or not");
        assertEquals("", ModelDirectories.defaultModel(Optional.empty(), List.of()));
    }

    private void touch(String... paths) throws IOException {
        for (String p : paths) {
            Files.createDirectories(root.resolve(p).getParent());
            Files.writeString(root.resolve(p), "{}");
        }
    }
}

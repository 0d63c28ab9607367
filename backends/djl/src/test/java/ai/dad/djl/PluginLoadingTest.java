package ai.dad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseScheduleProvider;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sigmoid-schedule plugin, built as its own jar and kept off the test class path, is found
 * in a plugins directory and used by name from a manifest.
 */
class PluginLoadingTest {
    @TempDir
    Path temp;

    private static Path pluginsDir() {
        Path dir = Path.of(System.getProperty("dad.test.plugins", "target/test-plugins"));
        assertTrue(Files.isDirectory(dir), "plugins directory " + dir + " is made by the build (mvn verify)");
        return dir;
    }

    @Test
    void pluginIsNotOnTheClassPath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.dad.plugins.sigmoid.SigmoidScheduleProvider"));
        assertTrue(Plugins.fromClassPath().schedules().stream().noneMatch(p -> p.name().equals("sigmoid")));
    }

    @Test
    void scheduleFromAPluginJarIsUsedByName() throws IOException {
        Plugins plugins = Plugins.load(pluginsDir());
        NoiseScheduleProvider sigmoid = plugins.schedule("sigmoid");
        assertTrue(sigmoid.getClass().getClassLoader().getName().startsWith("plugin:"), "own class loader");
        assertEquals("linear", plugins.schedule("linear").name(), "class-path providers stay available");

        ModelManifest manifest = TestModels.micro();
        manifest.schedule.name = "sigmoid";
        Path dir = temp.resolve("model");
        try (NDManager root = NDManager.newBaseManager("PyTorch");
                BlockNetworks nets = BlockNetworks.create(manifest, plugins, root, 3)) {
            nets.save(dir, manifest);
        }
        manifest.write(dir);

        try (InspectionBackend backend = new DjlBackendProvider().open(dir, plugins, Map.of("device", "cpu"))) {
            assertEquals("sigmoid", ((DjlInspectionBackend) backend).reconstructor().schedule().name());
            assertEquals(1, backend.inspect(TestModels.pixels(1, 32, 2)).scores().length);
        }

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new DjlBackendProvider().open(dir, Plugins.fromClassPath(), Map.of("device", "cpu")));
        assertTrue(missing.getMessage().contains("'sigmoid'"), missing.getMessage());
    }

    @Test
    void theBackendKeepsDjlOffline() {
        assertTrue(new DjlBackendProvider().isAvailable());
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertEquals("true", System.getProperty("OPT_OUT_TRACKING"), "no telemetry, whatever the launcher did");
    }

    @Test
    void backendIsChosenByRankOrByName() {
        Plugins plugins = Plugins.fromClassPath();
        assertEquals("djl", plugins.backend(null).name());
        assertEquals("djl", plugins.backend("djl").name());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> plugins.backend("onnx"));
        assertTrue(unknown.getMessage().contains("'onnx'") && unknown.getMessage().contains("djl"), unknown.getMessage());
    }
}

package ai.dad.spi.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.BackendContext;
import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.NoiseScheduleProvider;
import ai.dad.testplugin.ConstantScheduleProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin discovery on its own, without a backend: a provider in a jar in the plugins directory. */
class PluginsTest {

    @TempDir
    Path temp;

    @Test
    void aProviderInAPluginJarIsFoundByNameInItsOwnClassLoader() throws IOException {
        Path dir = temp.resolve("plugins");
        writePluginJar(dir.resolve("constant.jar"));
        BackendContext context = Plugins.load(dir);

        NoiseScheduleProvider provider = context.schedule("constant-test");
        assertInstanceOf(PluginClassLoader.class, provider.getClass().getClassLoader(), "loaded from the jar, not the class path");
        assertNotSame(ConstantScheduleProvider.class, provider.getClass());
        NoiseSchedule schedule = provider.create(10, Map.of("beta", "0.02"));
        assertEquals(10, schedule.steps());
        assertEquals(0.02, schedule.beta(3), 0);
    }

    @Test
    void unknownNamesAreRefusedNamingWhatIsInstalled() throws IOException {
        Path dir = temp.resolve("plugins");
        writePluginJar(dir.resolve("constant.jar"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Plugins.load(dir).schedule("cosine-typo"));
        assertTrue(e.getMessage().contains("cosine-typo") && e.getMessage().contains("constant-test"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Plugins.fromClassPath().segmentationHead("draem"),
                "the SPI alone installs no providers");
    }

    @Test
    void aMissingPluginsDirectoryAddsNothing() throws IOException {
        assertEquals(Plugins.fromClassPath().schedules().size(), Plugins.load(temp.resolve("absent")).schedules().size());
        assertEquals(Plugins.fromClassPath().schedules().size(), Plugins.load(null).schedules().size());
    }

    /** A jar holding ConstantScheduleProvider and its service file, as a plugin build would make it. */
    private static void writePluginJar(Path jar) throws IOException {
        Files.createDirectories(jar.getParent());
        String classFile = ConstantScheduleProvider.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                InputStream bytes = PluginsTest.class.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry(classFile));
            bytes.transferTo(out);
            out.putNextEntry(new JarEntry("META-INF/services/" + NoiseScheduleProvider.class.getName()));
            out.write((ConstantScheduleProvider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}

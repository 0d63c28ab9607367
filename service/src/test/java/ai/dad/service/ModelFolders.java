package ai.dad.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/** Model directories for the service tests, made from the built-in demo model. */
final class ModelFolders {
    static final Path DEMO = Path.of("../models/demo");

    private ModelFolders() {}

    /** A copy of the demo model at {@code to} (created, or overwritten file by file). */
    static void copyDemo(Path to) {
        try (Stream<Path> files = Files.list(DEMO)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the demo model at {@code to} whose manifest says {@code version}. */
    static void copyDemo(Path to, String version) {
        copyDemo(to);
        try {
            Path manifest = to.resolve("manifest.json");
            String json = Files.readString(manifest);
            String changed = json.replaceFirst("\"version\"\\s*:\\s*\"[^\"]*\"", "\"version\": \"" + version + "\"");
            if (changed.equals(json) && !json.contains("\"version\": \"" + version + "\"")) {
                throw new IllegalStateException("no version field in " + manifest);
            }
            Files.writeString(manifest, changed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes {@code dir} and everything in it, if it exists. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

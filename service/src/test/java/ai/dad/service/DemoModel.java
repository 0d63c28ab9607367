package ai.dad.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Copies of the built-in demo model (models/demo) for tests that need a models dir of their own. */
final class DemoModel {
    private DemoModel() {}

    /** Copies the demo model's files into {@code dir} (created if needed) and returns it. */
    static Path copyTo(Path dir) {
        try (Stream<Path> files = Files.list(Path.of("../models/demo"))) {
            Files.createDirectories(dir);
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

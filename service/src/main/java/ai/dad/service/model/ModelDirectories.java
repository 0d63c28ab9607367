package ai.dad.service.model;

import ai.dad.spi.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * What the service serves from {@code dad.models.dir}: every direct sub-directory that holds a
 * finished model (a {@code manifest.json} and no training state), its name being the model id;
 * and which of them answers requests that name no model. The reasons for what is left out go to
 * {@code notes}, so that a user who sees a model missing finds why in the log. Directories whose
 * name starts with a dot or ends in {@code .tmp} are being written (docs/SERVICE.md, "Changing
 * models while serving") and are passed over without a word.
 */
final class ModelDirectories {
    private ModelDirectories() {}

    /** The model directories under {@code root}, sorted by name (the model id). */
    static List<Path> find(Path root, Consumer<String> notes) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("models directory " + root.toAbsolutePath() + " does not exist (dad.models.dir)");
        }
        if (Files.isRegularFile(root.resolve(ModelManifest.FILE_NAME))) {
            Path parent = root.toAbsolutePath().normalize().getParent();
            throw new IOException("dad.models.dir " + root + " is itself a model directory (it holds "
                    + ModelManifest.FILE_NAME + "): set dad.models.dir to the folder that holds it ("
                    + parent + "), which holds one directory per model, named by the model id");
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(root)) {
            dirs = list.filter(d -> !beingWritten(d.getFileName().toString())).filter(Files::isDirectory).sorted().toList();
        }
        List<Path> models = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))) {
                notes.accept(dir + " holds no " + ModelManifest.FILE_NAME + ": not a model, ignored");
            } else if (Files.exists(dir.resolve(ModelManifest.TRAINING_STATE_FILE))) {
                notes.accept(dir + " is a training checkpoint (it holds " + ModelManifest.TRAINING_STATE_FILE
                        + "), not a finished model: not served");
            } else {
                models.add(dir);
            }
        }
        return models;
    }

    /** A name that marks a directory still being written, to be renamed into place when complete. */
    private static boolean beingWritten(String name) {
        return name.startsWith(".") || name.endsWith(".tmp");
    }

    /**
     * The model for requests that name none: the configured one (whether it serves or not), else
     * the first serving id in order; empty when there is none.
     */
    static String defaultModel(Optional<String> configured, List<String> serving) {
        return configured.orElse(serving.isEmpty() ? "" : serving.get(0));
    }
}

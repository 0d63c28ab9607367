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
 * {@code notes}, so that a user who sees a model missing finds why in the log.
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
            dirs = list.filter(Files::isDirectory).sorted().toList();
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

    /**
     * The default model: the configured one, else the first id in order (the only one, when there
     * is one); with several and none configured, {@code notes} says which was taken.
     */
    static String defaultModel(Optional<String> configured, List<String> ids, Consumer<String> notes) throws IOException {
        if (configured.isPresent()) {
            if (!ids.contains(configured.get())) {
                throw new IOException("default model '" + configured.get() + "' (dad.models.default-model) is not among " + ids);
            }
            return configured.get();
        }
        String first = ids.get(0);
        if (ids.size() > 1) {
            notes.accept("models " + ids + " and no dad.models.default-model: requests that name no model go to the first, "
                    + first);
        }
        return first;
    }
}

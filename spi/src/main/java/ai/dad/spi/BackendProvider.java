package ai.dad.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point of an inspection backend, found with {@link java.util.ServiceLoader}.
 *
 * <p>When several backends are present, the available one with the highest {@link #rank()}
 * wins unless configuration names one explicitly (see {@code ai.dad.spi.plugin.Plugins#backend}).
 */
public interface BackendProvider {

    /** Short, stable name used in manifests and configuration, e.g. {@code "djl"}. */
    String name();

    /** Preference among available backends; higher wins. */
    default int rank() {
        return 0;
    }

    /** Whether this backend can run here (engine present, native libraries loadable). */
    default boolean isAvailable() {
        return true;
    }

    /**
     * Opens the model stored in {@code modelDir} (a manifest plus weights).
     *
     * @param context where to look up noise schedules and segmentation heads by name
     * @param config backend options as strings, e.g. {@code device=cpu}; unknown keys are ignored
     */
    InspectionBackend open(Path modelDir, BackendContext context, Map<String, String> config)
            throws IOException;
}

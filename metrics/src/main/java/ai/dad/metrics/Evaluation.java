package ai.dad.metrics;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one evaluation path of {@code dad eval} (the model in-process) and {@code dad-client eval}
 * (the model behind the service): each test image's score and anomaly map go in, however they
 * were computed, with the image's ground truth placed on the map's grid; the report, its table
 * and its JSON come out, the same for both commands. Safe to feed from several threads.
 */
public final class Evaluation {

    /** Puts a ground-truth mask file on the grid of the map it belongs to (1 = defect). */
    @FunctionalInterface
    public interface MaskPlacement {
        float[] place(Path mask) throws IOException;
    }

    private Metrics metrics; // sized by the first map: the model's map, or a tiling model's stitched grid

    /**
     * Adds one scored test image; returns its ground truth on the map's grid (null for a good
     * image and for a type without masks), e.g. to draw it beside the map.
     */
    public synchronized float[] add(TestSet.Item item, double score, float[] map, int width, int height,
            MaskPlacement placement) throws IOException {
        float[] mask = item.mask() == null ? null : placement.place(item.mask());
        if (metrics == null) {
            metrics = new Metrics(width, height);
        }
        metrics.add(item.defectType(), score, item.anomalous(), map, mask);
        return mask;
    }

    /** The metrics of every image added, with the OK/NG decisions at {@code threshold} when there is one. */
    public synchronized Metrics.Report report(Double threshold) {
        if (metrics == null) {
            throw new IllegalStateException("no test image was scored");
        }
        return metrics.compute(threshold);
    }

    /** The printed result: what was measured, on one line, then the metrics table. */
    public static String table(String header, Metrics.Report report) {
        return header + System.lineSeparator() + report.table();
    }

    /** The saved result: the metric fields (percent, NaN where undefined), then the run's own fields. */
    public static String json(Metrics.Report report, Map<String, ?> run) {
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
        JsonObject root = gson.toJsonTree(report.toMap()).getAsJsonObject();
        run.forEach((key, value) -> root.add(key, gson.toJsonTree(value)));
        return gson.toJson(root);
    }
}

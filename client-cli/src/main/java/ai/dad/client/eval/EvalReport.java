package ai.dad.client.eval;

import ai.dad.metrics.Metrics;
import ai.dad.proto.v1.ModelInfo;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.Locale;

/**
 * The results of {@code dad-client eval} as {@code dad eval} prints and saves them: the same table
 * and the same JSON fields (metrics in percent, NaN where undefined), plus what only the client
 * knows (target, model version, image size).
 */
public final class EvalReport {

    private EvalReport() {}

    /** The table printed on stdout. */
    public static String table(Metrics.Report report, ModelInfo model, double msPerImage) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "model %s %s, mode %s (t=%d, t_b=%d, w=%s), %d px, "
                        + "%.1f ms/image through the service%n", model.getId(), model.getVersion(),
                model.getMode(), model.getTS(), model.getTB(), model.getW(), model.getImageSize(),
                msPerImage));
        return s.append(report.table()).toString();
    }

    /** The JSON saved with {@code --json}; the metric fields are those of {@code dad eval --json}. */
    public static String json(Metrics.Report report, ModelInfo model, String target,
                              double msPerImage) {
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
        JsonObject root = gson.toJsonTree(report.toMap()).getAsJsonObject();
        root.addProperty("model", model.getId());
        root.addProperty("model_version", model.getVersion());
        root.addProperty("mode", model.getMode());
        root.addProperty("t", model.getTS());
        root.addProperty("t_b", model.getTB());
        root.addProperty("w", model.getW());
        root.addProperty("image_size", model.getImageSize());
        root.addProperty("target", target);
        root.addProperty("ms_per_image", msPerImage);
        return gson.toJson(root);
    }
}

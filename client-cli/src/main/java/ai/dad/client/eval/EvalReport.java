package ai.dad.client.eval;

import ai.dad.metrics.Evaluation;
import ai.dad.metrics.Metrics;
import ai.dad.proto.v1.ModelInfo;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The results of {@code dad-client eval} as {@code dad eval} prints and saves them: the same table
 * and the same JSON fields (metrics in percent, NaN where undefined), plus what only the client
 * knows (target, model version, image size).
 */
public final class EvalReport {

    private EvalReport() {}

    /** The table printed on stdout. */
    public static String table(Metrics.Report report, ModelInfo model, double msPerImage) {
        return Evaluation.table(String.format(Locale.ROOT, "model %s %s, mode %s (t=%d, t_b=%d, w=%s), %d px, "
                        + "%.1f ms/image through the service", model.getId(), model.getVersion(),
                model.getMode(), model.getTS(), model.getTB(), model.getW(), model.getImageSize(),
                msPerImage), report);
    }

    /** The JSON saved with {@code --json}; the metric fields are those of {@code dad eval --json}. */
    public static String json(Metrics.Report report, ModelInfo model, String target,
                              double msPerImage) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", model.getId());
        run.put("model_version", model.getVersion());
        run.put("mode", model.getMode());
        run.put("t", model.getTS());
        run.put("t_b", model.getTB());
        run.put("w", model.getW());
        run.put("image_size", model.getImageSize());
        run.put("target", target);
        run.put("ms_per_image", msPerImage);
        return Evaluation.json(report, run);
    }
}

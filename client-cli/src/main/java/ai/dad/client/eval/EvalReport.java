package ai.dad.client.eval;

import ai.dad.metrics.Metrics;
import ai.dad.proto.v1.ModelInfo;
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
        s.append(String.format(Locale.ROOT, "%-18s %7s %10s %10s %10s %10s%n", "subset", "images",
                "image_auroc", "pixel_auroc", "pixel_aupro", "pixel_ap"));
        row(s, "overall", report.overall());
        report.perDefectType().forEach((type, scores) -> row(s, type, scores));
        return s.toString();
    }

    /** The JSON saved with {@code --json}; the metric fields are those of {@code dad eval --json}. */
    public static String json(Metrics.Report report, ModelInfo model, String target,
                              double msPerImage) {
        JsonObject root = scores(report.overall());
        root.addProperty("model", model.getId());
        root.addProperty("model_version", model.getVersion());
        root.addProperty("mode", model.getMode());
        root.addProperty("t", model.getTS());
        root.addProperty("t_b", model.getTB());
        root.addProperty("w", model.getW());
        root.addProperty("image_size", model.getImageSize());
        root.addProperty("target", target);
        root.addProperty("ms_per_image", msPerImage);
        JsonObject perType = new JsonObject();
        report.perDefectType().forEach((type, scores) -> perType.add(type, scores(scores)));
        root.add("per_defect_type", perType);
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(root);
    }

    private static void row(StringBuilder s, String name, Metrics.Scores m) {
        s.append(String.format(Locale.ROOT, "%-18s %7d %10.2f %10.2f %10.2f %10.2f%n", name,
                m.images(), m.imageAuroc(), m.pixelAuroc(), m.pixelAupro(), m.pixelAp()));
    }

    private static JsonObject scores(Metrics.Scores m) {
        JsonObject o = new JsonObject();
        o.addProperty("images", m.images());
        o.addProperty("anomalous", m.anomalous());
        o.addProperty("image_auroc", m.imageAuroc());
        o.addProperty("pixel_auroc", m.pixelAuroc());
        o.addProperty("pixel_aupro", m.pixelAupro());
        o.addProperty("pixel_ap", m.pixelAp());
        return o;
    }
}

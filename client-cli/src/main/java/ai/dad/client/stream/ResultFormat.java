package ai.dad.client.stream;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How each result line is printed on stdout.
 *
 * <ul>
 *   <li>{@code text}: {@code DECISION  score  normalized  latency  file}, aligned columns, the
 *       file last; errors print {@code ERROR} and the code and message instead of the numbers.
 *   <li>{@code json}: one JSON object per line (JSON Lines).
 *   <li>{@code csv}: a header line, then {@code file,frame_id,decision,score,normalized_score,
 *       latency_ms,model,error_code,error_message} (RFC 4180 quoting).
 * </ul>
 */
public enum ResultFormat {
    TEXT, JSON, CSV;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** The line printed before any result, or null. */
    public String header() {
        return this == CSV
                ? "file,frame_id,decision,score,normalized_score,latency_ms,model,error_code,"
                        + "error_message"
                : null;
    }

    /** One result as one line, without the line break. */
    public String format(FrameResult r) {
        return switch (this) {
            case TEXT -> text(r);
            case JSON -> GSON.toJson(json(r));
            case CSV -> csv(r);
        };
    }

    /** The JSON object of a result (the {@code json} format's line). */
    public static JsonObject json(FrameResult r) {
        JsonObject o = new JsonObject();
        o.addProperty("file", r.file().path().toString());
        o.addProperty("frame_id", r.file().frameId());
        o.addProperty("decision", r.outcome().name());
        if (r.judged()) {
            put(o, "score", r.score(), 6);
            put(o, "normalized_score", r.normalizedScore(), 6);
            put(o, "threshold", r.threshold(), 6);
        }
        if (!Double.isNaN(r.latencyMs())) {
            put(o, "latency_ms", r.latencyMs(), 3);
        }
        if (!r.model().isEmpty()) {
            o.addProperty("model", r.model());
            o.addProperty("model_version", r.modelVersion());
        }
        if (!r.judged()) {
            JsonObject e = new JsonObject();
            e.addProperty("code", r.errorCode());
            e.addProperty("message", r.errorMessage());
            o.add("error", e);
        }
        return o;
    }

    private static String text(FrameResult r) {
        String latency = Double.isNaN(r.latencyMs()) ? "-"
                : String.format(Locale.ROOT, "%.1f ms", r.latencyMs());
        if (!r.judged()) {
            return String.format(Locale.ROOT, "%-5s %-26s %10s  %s  (%s: %s)", "ERROR", "",
                    latency, r.file().path(), r.errorCode(), oneLine(r.errorMessage()));
        }
        return String.format(Locale.ROOT, "%-5s score %.4f  norm %+8.3f %10s  %s",
                r.outcome() == FrameResult.Outcome.UNCALIBRATED ? "UNCAL" : r.outcome().name(),
                r.score(), r.normalizedScore(), latency, r.file().path());
    }

    private static String csv(FrameResult r) {
        return String.join(",",
                quote(r.file().path().toString()),
                quote(r.file().frameId()),
                r.outcome().name(),
                r.judged() ? num(r.score(), 6) : "",
                r.judged() ? num(r.normalizedScore(), 6) : "",
                Double.isNaN(r.latencyMs()) ? "" : num(r.latencyMs(), 3),
                quote(r.model()),
                r.judged() ? "" : quote(r.errorCode()),
                r.judged() ? "" : quote(oneLine(r.errorMessage())));
    }

    private static String quote(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private static String num(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** Adds a rounded number, or null when it is not finite (JSON has no NaN). */
    private static void put(JsonObject o, String key, double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.add(key, JsonNull.INSTANCE);
        } else {
            // Through a plain string, so that 10 prints as 10, not 1E+1.
            o.addProperty(key, new BigDecimal(new BigDecimal(v)
                    .setScale(digits, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()));
        }
    }
}

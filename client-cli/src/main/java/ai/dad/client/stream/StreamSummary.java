package ai.dad.client.stream;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.Locale;

/**
 * What a stream run did, as printed on stderr and saved as {@code summary.json}.
 *
 * @param total frames found by the walk (with {@code --watch}: files taken so far)
 * @param frames frames with a result line: {@code ok + ng + uncalibrated + errors}
 * @param ok judged OK
 * @param ng judged NG
 * @param uncalibrated judged by a model without a threshold
 * @param errors error verdicts, files that could not be read, and frames lost with a failed call
 * @param skipped frames never answered because the run was stopped or the call failed:
 *     {@code total - frames}
 * @param overlays overlay images written
 * @param overlayErrors overlays or masks that could not be made or written
 * @param p50Ms median client-side latency of judged frames (NaN when none)
 * @param p95Ms 95th percentile (nearest rank)
 * @param p99Ms 99th percentile (nearest rank)
 * @param throughputFps {@code frames / wallSeconds}
 * @param wallSeconds from opening the stream to the last verdict
 * @param interrupted whether the run was stopped (Ctrl-C) before it finished
 * @param streamError the status of the InspectStream call when it failed, else null
 * @param reconnects how often the stream was reopened after it failed with UNAVAILABLE
 */
public record StreamSummary(int total, int frames, int ok, int ng, int uncalibrated, int errors,
                            int skipped, int overlays, int overlayErrors, double p50Ms,
                            double p95Ms, double p99Ms, double throughputFps, double wallSeconds,
                            boolean interrupted, String streamError, int reconnects) {

    /** Exit code: everything fine. */
    public static final int EXIT_OK = 0;
    /** Exit code: NG frames were found and {@code --fail-on-ng} was given. */
    public static final int EXIT_NG = 1;
    /** Exit code: errors (frames, overlays or the call itself); wins over NG. */
    public static final int EXIT_ERRORS = 2;

    /** The process exit code for this run: errors win over NG, NG counts only when asked to. */
    public int exitCode(boolean failOnNg) {
        if (errors > 0 || overlayErrors > 0 || streamError != null) {
            return EXIT_ERRORS;
        }
        return failOnNg && ng > 0 ? EXIT_NG : EXIT_OK;
    }

    /** The JSON object saved as {@code summary.json}; unknown numbers are {@code null}. */
    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("total", total);
        o.addProperty("frames", frames);
        o.addProperty("ok", ok);
        o.addProperty("ng", ng);
        o.addProperty("uncalibrated", uncalibrated);
        o.addProperty("errors", errors);
        o.addProperty("skipped", skipped);
        o.addProperty("overlays", overlays);
        o.addProperty("overlay_errors", overlayErrors);
        number(o, "p50_ms", p50Ms);
        number(o, "p95_ms", p95Ms);
        number(o, "p99_ms", p99Ms);
        number(o, "throughput_fps", throughputFps);
        number(o, "wall_s", wallSeconds);
        o.addProperty("interrupted", interrupted);
        o.addProperty("stream_error", streamError);
        o.addProperty("reconnects", reconnects);
        return o;
    }

    /** {@link #toJson()} pretty-printed. */
    public String toJsonString() {
        return new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(toJson());
    }

    /** The human-readable summary printed on stderr. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT,
                "frames %d of %d: ok %d, ng %d, uncalibrated %d, errors %d, skipped %d%n",
                frames, total, ok, ng, uncalibrated, errors, skipped));
        s.append(String.format(Locale.ROOT,
                "latency ms p50 %s, p95 %s, p99 %s; %s frames/s; wall %.2f s%n",
                fmt(p50Ms), fmt(p95Ms), fmt(p99Ms), fmt(throughputFps), wallSeconds));
        if (overlays > 0 || overlayErrors > 0) {
            s.append(String.format(Locale.ROOT, "overlays %d written, %d failed%n",
                    overlays, overlayErrors));
        }
        if (interrupted) {
            s.append("interrupted: stopped sending before the end\n");
        }
        if (reconnects > 0) {
            s.append("stream reopened ").append(reconnects).append(" time(s) after it failed\n");
        }
        if (streamError != null) {
            s.append("stream failed: ").append(streamError).append('\n');
        }
        return s.toString();
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static void number(JsonObject o, String key, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.add(key, com.google.gson.JsonNull.INSTANCE);
        } else {
            o.addProperty(key, Math.round(v * 1000.0) / 1000.0);
        }
    }
}

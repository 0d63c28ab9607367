package ai.dad.service.page;

import java.util.List;

/**
 * What the operator page shows, as {@code /api/page} sends it (JSON).
 *
 * @param state the service's health state (SERVING, STARTING, ...) and {@code detail} why
 * @param models every loaded model, by id
 * @param ng the last NG frames, newest first; their thumbnails are at {@code /api/ng/{seq}}
 */
public record PageData(String state, String detail, List<Model> models, List<Ng> ng) {

    /** Which model, where it runs and its calibrated threshold (null when uncalibrated). */
    public record ModelInfo(String id, String version, String device, Double threshold) {}

    /**
     * Counts since the service started ({@code frames} = verdicts + errors), and over the last
     * verdicts: latency inside the service, mean batch size, and the scores oldest first with
     * whether each was NG.
     */
    public record Model(ModelInfo info, long frames, long ok, long ng, long uncalibrated, long errors, double ngRate,
            double latencyP50Ms, double latencyP95Ms, double batchSize, float[] scores, boolean[] scoreNg) {}

    /** One NG frame of the gallery. */
    public record Ng(long seq, String model, String version, String frameId, long epochMillis, double score,
            double threshold) {}
}

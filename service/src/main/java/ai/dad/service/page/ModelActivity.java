package ai.dad.service.page;

import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.Verdict;
import java.util.Arrays;

/**
 * What one model did since the service started (verdicts by decision, errors) and over its last
 * {@link #RECENT} verdicts (scores for the strip, latency percentiles, batch size), in fixed
 * arrays so memory stays bounded however long the line runs.
 */
final class ModelActivity {
    static final int RECENT = 200;

    private long ok;
    private long ng;
    private long uncalibrated;
    private long errors;
    private final float[] scores = new float[RECENT];
    private final boolean[] ngs = new boolean[RECENT];
    private final float[] latencyMs = new float[RECENT];
    private final int[] batchSizes = new int[RECENT];
    private int next;
    private int filled;

    synchronized void verdict(Verdict verdict, double latencyMillis) {
        switch (verdict.getDecision()) {
            case OK -> ok++;
            case NG -> ng++;
            default -> uncalibrated++;
        }
        scores[next] = (float) verdict.getScore();
        ngs[next] = verdict.getDecision() == Decision.NG;
        latencyMs[next] = (float) latencyMillis;
        batchSizes[next] = verdict.getTimings().getBatchSize();
        next = (next + 1) % RECENT;
        filled = Math.min(filled + 1, RECENT);
    }

    synchronized void error() {
        errors++;
    }

    /** The counts and recent figures, with the model's identity from {@code info}. */
    synchronized PageData.Model view(PageData.ModelInfo info) {
        long verdicts = ok + ng + uncalibrated;
        float[] latencies = new float[filled];
        float[] strip = new float[filled];
        boolean[] stripNg = new boolean[filled];
        long batchSum = 0;
        for (int k = 0; k < filled; k++) {
            int i = (next - filled + k + RECENT) % RECENT; // oldest first
            latencies[k] = latencyMs[i];
            strip[k] = scores[i];
            stripNg[k] = ngs[i];
            batchSum += batchSizes[i];
        }
        Arrays.sort(latencies);
        return new PageData.Model(info, verdicts + errors, ok, ng, uncalibrated, errors,
                verdicts == 0 ? 0 : (double) ng / verdicts,
                percentile(latencies, 0.50), percentile(latencies, 0.95),
                filled == 0 ? 0 : (double) batchSum / filled, strip, stripNg);
    }

    /** Nearest-rank percentile of sorted values; 0 when there are none. */
    private static double percentile(float[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}

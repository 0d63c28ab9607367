package ai.dad.client.stream;

import java.util.Arrays;

/**
 * Counts results as they are printed and keeps the latencies of judged frames, so that the
 * summary can be built at any moment (also from a shutdown hook). Thread-safe.
 */
public final class StreamStats {

    private int ok;
    private int ng;
    private int uncalibrated;
    private int errors;
    private double[] latencies = new double[256];
    private int latencyCount;

    /** Counts one printed result. */
    public synchronized void add(FrameResult r) {
        switch (r.outcome()) {
            case OK -> ok++;
            case NG -> ng++;
            case UNCALIBRATED -> uncalibrated++;
            case ERROR -> errors++;
        }
        if (r.judged() && !Double.isNaN(r.latencyMs())) {
            if (latencyCount == latencies.length) {
                latencies = Arrays.copyOf(latencies, latencies.length * 2);
            }
            latencies[latencyCount++] = r.latencyMs();
        }
    }

    /** Results counted so far. */
    public synchronized int frames() {
        return ok + ng + uncalibrated + errors;
    }

    public synchronized int ng() {
        return ng;
    }

    public synchronized int errors() {
        return errors;
    }

    /**
     * The summary of the run so far.
     *
     * @param total frames the source made ready
     * @param wallNanos time from the start of the call to now
     * @param overlays overlays written
     * @param overlayErrors overlays or masks that could not be written
     * @param interrupted whether the run was stopped before every frame was sent
     * @param streamError the status of a call that failed, or null
     * @param reconnects how often the stream was reopened after it failed
     */
    public synchronized StreamSummary summary(int total, long wallNanos, int overlays,
                                              int overlayErrors, boolean interrupted,
                                              String streamError, int reconnects) {
        Percentiles p = new Percentiles(Arrays.copyOf(latencies, latencyCount));
        int frames = ok + ng + uncalibrated + errors;
        double wall = wallNanos / 1e9;
        return new StreamSummary(total, frames, ok, ng, uncalibrated, errors, total - frames,
                overlays, overlayErrors, p.get(50), p.get(95), p.get(99),
                wall > 0 ? frames / wall : Double.NaN, wall, interrupted, streamError, reconnects);
    }
}

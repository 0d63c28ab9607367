package ai.dad.client.stream;

import ai.dad.client.net.Backoff;
import ai.dad.proto.v1.MapPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What a stream run needs besides the channel and the files.
 *
 * @param model the model id sent with every frame; empty selects the service's default
 * @param outDir where overlays, masks and {@code summary.json} go; null writes nothing
 * @param maps which frames get an overlay and a mask (ignored without {@code outDir})
 * @param concurrency the most frames sent but not yet answered (the in-flight window), at least 1
 * @param deadline the gRPC deadline of the whole run (every call of it); null for none
 * @param drainTimeout after {@link StreamRunner#stop()}, how long to wait for in-flight verdicts
 * @param maxFrameBytes the largest file sent; a larger one is a local error instead, because a
 *     request over the service's message limit would fail the whole stream, not just the frame
 * @param thresholdOverride sent as {@code threshold_override}: the service decides OK/NG with it
 *     instead of the model's threshold; 0 for none
 * @param rawMaps ask for every frame's anomaly map as float values at the model's resolution, for
 *     callers that use the map themselves ({@code eval}); it is then in {@link FrameResult#verdict()}
 * @param backoff how often and how soon a call that failed with UNAVAILABLE is reopened
 */
public record StreamConfig(String model, Path outDir, MapsMode maps, int concurrency,
                           Duration deadline, Duration drainTimeout, long maxFrameBytes,
                           double thresholdOverride, boolean rawMaps, Backoff backoff) {

    /** The service's default request limit ({@code max-inbound-message-size}, 32 MiB). */
    public static final long SERVICE_MAX_MESSAGE_BYTES = 32L << 20;

    /** Room left in a request for everything but the image bytes (frame_id, model, options). */
    public static final long REQUEST_OVERHEAD_BYTES = 4096;

    /** The defaults of the command line: default model, no output, window 8, no deadline. */
    public static final StreamConfig DEFAULTS = new StreamConfig("", null, MapsMode.NG, 8, null,
            Duration.ofSeconds(10), SERVICE_MAX_MESSAGE_BYTES - REQUEST_OVERHEAD_BYTES, 0, false,
            Backoff.NONE);

    public StreamConfig {
        model = model == null ? "" : model;
        maps = Objects.requireNonNull(maps, "maps");
        drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
        backoff = Objects.requireNonNull(backoff, "backoff");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
        }
        if (!(thresholdOverride >= 0 && Double.isFinite(thresholdOverride))) {
            throw new IllegalArgumentException("thresholdOverride must be a finite number >= 0");
        }
    }

    /** Whether any overlays are written (an output folder and maps other than none). */
    public boolean writesMaps() {
        return outDir != null && maps != MapsMode.NONE;
    }

    /**
     * When the service attaches maps to a verdict: on every frame when all are written or raw maps
     * are wanted, on NG frames only when only those are written (each frame still makes one
     * round trip), else never.
     */
    public MapPolicy mapPolicy() {
        if (rawMaps || (writesMaps() && maps == MapsMode.ALL)) {
            return MapPolicy.MAP_ALWAYS;
        }
        return writesMaps() ? MapPolicy.MAP_NG_ONLY : MapPolicy.MAP_NEVER;
    }

    public StreamConfig withModel(String m) {
        return new StreamConfig(m, outDir, maps, concurrency, deadline, drainTimeout,
                maxFrameBytes, thresholdOverride, rawMaps, backoff);
    }

    public StreamConfig withOut(Path dir, MapsMode mode) {
        return new StreamConfig(model, dir, mode, concurrency, deadline, drainTimeout,
                maxFrameBytes, thresholdOverride, rawMaps, backoff);
    }

    public StreamConfig withConcurrency(int n) {
        return new StreamConfig(model, outDir, maps, n, deadline, drainTimeout,
                maxFrameBytes, thresholdOverride, rawMaps, backoff);
    }

    public StreamConfig withDeadline(Duration d) {
        return new StreamConfig(model, outDir, maps, concurrency, d, drainTimeout,
                maxFrameBytes, thresholdOverride, rawMaps, backoff);
    }

    public StreamConfig withMaxFrameBytes(long n) {
        return new StreamConfig(model, outDir, maps, concurrency, deadline, drainTimeout, n,
                thresholdOverride, rawMaps, backoff);
    }

    public StreamConfig withDrainTimeout(Duration d) {
        return new StreamConfig(model, outDir, maps, concurrency, deadline, d,
                maxFrameBytes, thresholdOverride, rawMaps, backoff);
    }

    public StreamConfig withThresholdOverride(double t) {
        return new StreamConfig(model, outDir, maps, concurrency, deadline, drainTimeout,
                maxFrameBytes, t, rawMaps, backoff);
    }

    public StreamConfig withRawMaps(boolean b) {
        return new StreamConfig(model, outDir, maps, concurrency, deadline, drainTimeout,
                maxFrameBytes, thresholdOverride, b, backoff);
    }

    public StreamConfig withBackoff(Backoff b) {
        return new StreamConfig(model, outDir, maps, concurrency, deadline, drainTimeout,
                maxFrameBytes, thresholdOverride, rawMaps, b);
    }
}

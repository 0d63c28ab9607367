package ai.dad.client.stream;

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
 * @param deadline the gRPC deadline of the whole InspectStream call; null for none
 * @param drainTimeout after {@link StreamRunner#stop()}, how long to wait for in-flight verdicts
 * @param maxFrameBytes the largest file sent; a larger one is a local error instead, because a
 *     request over the service's message limit would fail the whole stream, not just the frame
 */
public record StreamConfig(String model, Path outDir, MapsMode maps, int concurrency,
                           Duration deadline, Duration drainTimeout, long maxFrameBytes) {

    /** The service's default request limit ({@code max-inbound-message-size}, 32 MiB). */
    public static final long SERVICE_MAX_MESSAGE_BYTES = 32L << 20;

    /** Room left in a request for everything but the image bytes (frame_id, model, options). */
    public static final long REQUEST_OVERHEAD_BYTES = 4096;

    /** The defaults of the command line: default model, no output, window 8, no deadline. */
    public static final StreamConfig DEFAULTS = new StreamConfig("", null, MapsMode.NG, 8, null,
            Duration.ofSeconds(10), SERVICE_MAX_MESSAGE_BYTES - REQUEST_OVERHEAD_BYTES);

    public StreamConfig {
        model = model == null ? "" : model;
        maps = Objects.requireNonNull(maps, "maps");
        drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
        }
    }

    /** Whether any overlays are written (an output folder and maps other than none). */
    public boolean writesMaps() {
        return outDir != null && maps != MapsMode.NONE;
    }

    public StreamConfig withModel(String m) {
        return new StreamConfig(m, outDir, maps, concurrency, deadline, drainTimeout,
                maxFrameBytes);
    }

    public StreamConfig withOut(Path dir, MapsMode mode) {
        return new StreamConfig(model, dir, mode, concurrency, deadline, drainTimeout,
                maxFrameBytes);
    }

    public StreamConfig withConcurrency(int n) {
        return new StreamConfig(model, outDir, maps, n, deadline, drainTimeout,
                maxFrameBytes);
    }

    public StreamConfig withDeadline(Duration d) {
        return new StreamConfig(model, outDir, maps, concurrency, d, drainTimeout,
                maxFrameBytes);
    }

    public StreamConfig withMaxFrameBytes(long n) {
        return new StreamConfig(model, outDir, maps, concurrency, deadline, drainTimeout, n);
    }

    public StreamConfig withDrainTimeout(Duration d) {
        return new StreamConfig(model, outDir, maps, concurrency, deadline, d,
                maxFrameBytes);
    }
}

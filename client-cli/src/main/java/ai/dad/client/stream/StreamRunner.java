package ai.dad.client.stream;

import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Sends frames over an {@code InspectStream} call and turns the verdicts into results.
 *
 * <p>Flow control runs both ways. Outbound, at most {@link StreamConfig#concurrency()} requests
 * are sent but unanswered, and a request is only written while the call {@code isReady()} (the
 * on-ready handler resumes sending); each file is read just before it is sent, and its bytes are
 * kept only while its verdict is pending and an overlay may be needed. Inbound, verdicts are
 * requested one at a time after the previous one was handled, so a slow consumer (stdout, the
 * overlay writer) slows the service down instead of filling memory.
 *
 * <p>Frames come from a {@link FrameSource}: a fixed list, or a {@link FolderWatcher} that keeps
 * finding new files; the run then lasts until {@link #stop()}.
 *
 * <p>Verdicts arrive in send order (the contract), so each one is matched with the oldest
 * unanswered request; a verdict whose frame_id differs is reported as a {@code PROTOCOL} error.
 * Results are handed to the sink in file order, one at a time: a file that cannot be read is an
 * error result at its place in the order. Each frame makes one round trip: with
 * {@link MapsMode#NG} it asks for its map under {@code MAP_NG_ONLY}, so the service attaches the
 * map and mask to the NG verdicts only; with {@link MapsMode#ALL} (or
 * {@link StreamConfig#rawMaps()}) under {@code MAP_ALWAYS}.
 *
 * <p>A call that fails with {@code UNAVAILABLE} is reopened after a back-off, up to
 * {@link StreamConfig#backoff()} retries in a row (a call that got verdicts starts the count
 * again), and the frames it left unanswered are sent again first, so each frame still gets
 * exactly one result. Any other failure, or one retry too many, ends the run: the frames in
 * flight are errors with the call's status and the rest are skipped.
 *
 * <p>{@link #stop()} (Ctrl-C) stops sending, waits up to {@link StreamConfig#drainTimeout()} for
 * the verdicts in flight, then cancels the call; frames never answered count as skipped.
 */
public final class StreamRunner {

    private final Channel channel;
    private final Runnable reconnect;
    private final StreamConfig config;
    private final Consumer<String> warn;
    private final StreamStats stats = new StreamStats();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile StreamRun session;
    private volatile long stopNanos;

    /**
     * @param channel a channel to the service
     * @param config what to send and where to write
     * @param warn where warnings go (one line each), e.g. stderr
     */
    public StreamRunner(Channel channel, StreamConfig config, Consumer<String> warn) {
        this(channel, channel instanceof ManagedChannel m ? m::resetConnectBackoff : () -> { },
                config, warn);
    }

    /**
     * @param channel a channel to the service
     * @param reconnect run before a failed call is reopened (makes the channel reconnect now)
     * @param config what to send and where to write
     * @param warn where warnings go (one line each), e.g. stderr
     */
    public StreamRunner(Channel channel, Runnable reconnect, StreamConfig config,
                        Consumer<String> warn) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.reconnect = Objects.requireNonNull(reconnect, "reconnect");
        this.config = Objects.requireNonNull(config, "config");
        this.warn = Objects.requireNonNull(warn, "warn");
    }

    /** The live counts (for a progress display). */
    public StreamStats stats() {
        return stats;
    }

    /** Streams a fixed list of frames; see {@link #run(FrameSource, Consumer)}. */
    public StreamSummary run(List<FrameFile> frames, Consumer<FrameResult> sink)
            throws InterruptedException {
        return run(FrameSource.of(frames), sink);
    }

    /**
     * Streams the source's frames and blocks until every one is answered and the source is
     * exhausted (or the run is stopped, or the call fails for good), then waits for the overlays
     * and returns the summary. The sink gets every result in file order, one at a time, on a gRPC
     * or the source's thread; it should not block for long. A runner runs once.
     */
    public StreamSummary run(FrameSource source, Consumer<FrameResult> sink)
            throws InterruptedException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a StreamRunner runs once");
        }
        long start = System.nanoTime();
        Deadline deadline = config.deadline() == null ? null
                : Deadline.after(config.deadline().toMillis(), TimeUnit.MILLISECONDS);
        OverlayWriter overlays = config.writesMaps()
                ? new OverlayWriter(config.outDir(), 2 * config.concurrency(), warn) : null;
        int reconnects = 0;
        try {
            StreamRun s = new StreamRun(config, warn, stats, source, sink, overlays);
            session = s;
            source.onAvailable(s::pump);
            int failures = 0;
            while (true) {
                StreamRun.Call call = s.open(channel, deadline);
                if (stopped.getCount() == 0) {
                    s.stopSending();
                }
                awaitEnd(s, call);
                if (!s.retryable(call)) {
                    s.end(call);
                    break;
                }
                failures = call.verdicts() > 0 ? 1 : failures + 1;
                int retries = config.backoff().retries();
                if (failures > retries) {
                    s.end(call);
                    break;
                }
                s.requeue(call);
                Duration wait = config.backoff().delay(failures);
                warn.accept("stream failed (" + call.failureText() + "); reopening in "
                        + wait.toMillis() + " ms (retry " + failures + " of " + retries + ")");
                if (stopped.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    s.stopSending();
                    s.end(call);
                    break;
                }
                reconnect.run();
                reconnects++;
            }
            boolean interrupted = stopped.getCount() == 0;
            if (overlays != null && !overlays.finish(interrupted ? 5 : 600, TimeUnit.SECONDS)) {
                warn.accept("gave up waiting for overlays to be written");
            }
            return stats.summary(source.total(), System.nanoTime() - start,
                    overlays == null ? 0 : overlays.written(),
                    overlays == null ? 0 : overlays.failed(), interrupted, s.streamError(),
                    reconnects);
        } finally {
            if (overlays != null) {
                overlays.close();
            }
        }
    }

    /**
     * Stops sending new frames; the verdicts in flight are still awaited, for at most the drain
     * timeout, after which the call is cancelled. Safe from any thread (a shutdown hook), any time.
     */
    public void stop() {
        if (stopped.getCount() == 0) {
            return;
        }
        stopNanos = System.nanoTime();
        stopped.countDown();
        StreamRun s = session;
        if (s != null) {
            s.stopSending();
        }
    }

    private void awaitEnd(StreamRun s, StreamRun.Call call) throws InterruptedException {
        try {
            long drain = config.drainTimeout().toNanos();
            while (!call.done.await(50, TimeUnit.MILLISECONDS)) {
                String why = null;
                if (stopped.getCount() == 0 && System.nanoTime() - stopNanos > drain) {
                    why = "no verdict for " + s.inFlight(call) + " frame(s) within "
                            + config.drainTimeout().toMillis() + " ms of the stop";
                } else if (s.halfClosedFor(call) > drain) {
                    why = "every frame is answered but the service did not end the stream";
                }
                if (why != null) {
                    warn.accept(why + "; cancelling the stream");
                    s.cancel(call);
                    if (!call.done.await(2, TimeUnit.SECONDS)) {
                        s.abandon(call);
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            s.cancel(call);
            throw e;
        }
    }
}

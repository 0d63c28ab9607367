package ai.dad.client.stream;

import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.Verdict;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Sends files over one {@code InspectStream} call and turns the verdicts into results.
 *
 * <p>Flow control runs both ways. Outbound, at most {@link StreamConfig#concurrency()} requests
 * are sent but unanswered, and a request is only written while the call {@code isReady()} (the
 * on-ready handler resumes sending); each file is read just before it is sent, and its bytes are
 * kept only while its verdict is pending and an overlay may be needed. Inbound, verdicts are
 * requested one at a time after the previous one was handled, so a slow consumer (stdout, the
 * overlay writer) slows the service down instead of filling memory.
 *
 * <p>Verdicts arrive in send order (the contract), so each one is matched with the oldest
 * unanswered request; a verdict whose frame_id differs is reported as a {@code PROTOCOL} error.
 * Results are handed to the sink in file order, one at a time: a file that cannot be read is an
 * error result at its place in the order. With {@link MapsMode#NG} the decision is only known
 * from the verdict, so an NG frame is sent a second time on the same stream, with
 * {@code return_map} and {@code return_mask}, inside the same window; that second verdict only
 * feeds the overlay. With {@link MapsMode#ALL} every frame asks for its maps the first time.
 *
 * <p>{@link #stop()} (Ctrl-C) stops sending, waits up to {@link StreamConfig#drainTimeout()} for
 * the verdicts in flight, then cancels the call; frames never answered count as skipped.
 */
public final class StreamRunner {

    private final Channel channel;
    private final StreamConfig config;
    private final Consumer<String> warn;
    private final StreamStats stats = new StreamStats();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Session session;
    private volatile long stopNanos;

    /**
     * @param channel a channel to the service
     * @param config what to send and where to write
     * @param warn where warnings go (one line each), e.g. stderr
     */
    public StreamRunner(Channel channel, StreamConfig config, Consumer<String> warn) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.config = Objects.requireNonNull(config, "config");
        this.warn = Objects.requireNonNull(warn, "warn");
    }

    /** The live counts (for a progress display). */
    public StreamStats stats() {
        return stats;
    }

    /**
     * Streams the frames and blocks until every one is answered (or the run is stopped or the call
     * fails), then waits for the overlays and returns the summary. The sink gets every result in
     * file order, one at a time, on a gRPC thread; it should not block for long. A runner runs
     * once.
     */
    public StreamSummary run(List<FrameFile> frames, Consumer<FrameResult> sink)
            throws InterruptedException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("a StreamRunner runs once");
        }
        long start = System.nanoTime();
        OverlayWriter overlays = config.writesMaps()
                ? new OverlayWriter(config.outDir(), 2 * config.concurrency(), warn) : null;
        try {
            Session s = new Session(frames, sink, overlays);
            session = s;
            InspectorGrpc.InspectorStub stub = InspectorGrpc.newStub(channel);
            if (config.deadline() != null) {
                stub = stub.withDeadlineAfter(config.deadline().toMillis(), TimeUnit.MILLISECONDS);
            }
            stub.inspectStream(s);
            if (stopped.getCount() == 0) {
                s.stopSending();
            }
            s.pump();
            awaitEnd(s);
            boolean interrupted = stopped.getCount() == 0;
            if (overlays != null && !overlays.finish(interrupted ? 5 : 600, TimeUnit.SECONDS)) {
                warn.accept("gave up waiting for overlays to be written");
            }
            return stats.summary(frames.size(), System.nanoTime() - start,
                    overlays == null ? 0 : overlays.written(),
                    overlays == null ? 0 : overlays.failed(), interrupted, s.streamError());
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
        Session s = session;
        if (s != null) {
            s.stopSending();
        }
    }

    private void awaitEnd(Session s) throws InterruptedException {
        try {
            long drain = config.drainTimeout().toNanos();
            while (!s.done.await(50, TimeUnit.MILLISECONDS)) {
                String why = null;
                if (stopped.getCount() == 0 && System.nanoTime() - stopNanos > drain) {
                    why = "no verdict for " + s.inFlight() + " frame(s) within "
                            + config.drainTimeout().toMillis() + " ms of the stop";
                } else if (s.halfClosedFor() > drain) {
                    why = "every frame is answered but the service did not end the stream";
                }
                if (why != null) {
                    warn.accept(why + "; cancelling the stream");
                    s.cancel();
                    if (!s.done.await(2, TimeUnit.SECONDS)) {
                        s.abandon();
                    }
                    return;
                }
            }
        } catch (InterruptedException e) {
            s.cancel();
            throw e;
        }
    }

    /** A line of output waiting for its result, in file order. */
    private static final class Pending {
        final FrameFile file;
        FrameResult result;

        Pending(FrameFile file) {
            this.file = file;
        }
    }

    /** A request on the wire. {@code pending} is null for the map request of an NG frame. */
    private static final class Sent {
        final Pending pending;
        final FrameFile file;
        final byte[] bytes;
        long sentNanos;

        Sent(Pending pending, FrameFile file, byte[] bytes) {
            this.pending = pending;
            this.file = file;
            this.bytes = bytes;
        }

        boolean mapRequest() {
            return pending == null;
        }
    }

    /** One InspectStream call; every method holds the lock, so requests go out one at a time. */
    private final class Session implements ClientResponseObserver<InspectRequest, Verdict> {
        final CountDownLatch done = new CountDownLatch(1);
        private final List<FrameFile> frames;
        private final Consumer<FrameResult> sink;
        private final OverlayWriter overlays;
        private final ArrayDeque<Pending> order = new ArrayDeque<>();
        private final ArrayDeque<Sent> sent = new ArrayDeque<>();
        private final ArrayDeque<Sent> mapRequests = new ArrayDeque<>();
        private ClientCallStreamObserver<InspectRequest> requests;
        private int next;
        private boolean stopping;
        private boolean halfClosed;
        private long halfClosedNanos;
        private boolean finished;
        private boolean cancelled;
        private String streamError;

        Session(List<FrameFile> frames, Consumer<FrameResult> sink, OverlayWriter overlays) {
            this.frames = frames;
            this.sink = sink;
            this.overlays = overlays;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<InspectRequest> call) {
            this.requests = call;
            call.disableAutoRequestWithInitial(1);
            call.setOnReadyHandler(this::pump);
        }

        synchronized int inFlight() {
            return sent.size();
        }

        /** Nanoseconds since the stream was half-closed (0 while it is not). */
        synchronized long halfClosedFor() {
            return halfClosed && !cancelled ? System.nanoTime() - halfClosedNanos : 0;
        }

        synchronized String streamError() {
            return streamError;
        }

        /** Sends while the window has room and the transport is ready; half-closes at the end. */
        synchronized void pump() {
            if (finished || halfClosed) {
                return;
            }
            while (!stopping && sent.size() < config.concurrency() && requests.isReady()) {
                Sent mapRequest = mapRequests.poll();
                if (mapRequest != null) {
                    send(mapRequest, mapRequest.bytes, true);
                    continue;
                }
                if (next >= frames.size()) {
                    break;
                }
                FrameFile file = frames.get(next++);
                Pending p = new Pending(file);
                order.add(p);
                if (file.walkError() != null) {
                    p.result = FrameResult.error(file, FrameResult.LOCAL, file.walkError(),
                            Double.NaN);
                    continue;
                }
                byte[] bytes;
                try {
                    long size = Files.size(file.path());
                    if (size > config.maxFrameBytes()) {
                        p.result = FrameResult.error(file, FrameResult.LOCAL, "the file has "
                                + size + " bytes, more than the " + config.maxFrameBytes()
                                + " a request may carry", Double.NaN);
                        continue;
                    }
                    bytes = Files.readAllBytes(file.path());
                } catch (IOException | RuntimeException e) {
                    p.result = FrameResult.error(file, FrameResult.LOCAL,
                            "cannot read " + file.path() + ": " + describe(e), Double.NaN);
                    continue;
                }
                send(new Sent(p, file, config.writesMaps() ? bytes : null), bytes,
                        config.writesMaps() && config.maps() == MapsMode.ALL);
            }
            flush();
            halfCloseWhenDone();
        }

        private void send(Sent s, byte[] bytes, boolean withMaps) {
            InspectRequest.Builder b = InspectRequest.newBuilder()
                    .setFrameId(s.file.frameId())
                    .setModel(config.model())
                    .setImage(UnsafeByteOperations.unsafeWrap(bytes));
            if (withMaps) {
                b.setOptions(Options.newBuilder().setReturnMap(true).setReturnMask(true));
            }
            s.sentNanos = System.nanoTime();
            sent.add(s);
            requests.onNext(b.build());
        }

        private void halfCloseWhenDone() {
            if (!halfClosed && sent.isEmpty() && mapRequests.isEmpty()
                    && (stopping || next >= frames.size())) {
                halfClosed = true;
                halfClosedNanos = System.nanoTime();
                requests.onCompleted();
            }
        }

        synchronized void stopSending() {
            if (stopping || finished) {
                return;
            }
            stopping = true;
            for (Sent m : mapRequests) {
                overlays.fail(m.file, "stopped before the map was fetched");
            }
            mapRequests.clear();
            if (requests != null) {
                halfCloseWhenDone();
            }
        }

        synchronized void cancel() {
            if (!finished && requests != null) {
                cancelled = true;
                stopping = true;
                halfClosed = true;
                requests.cancel("stopped by the user", null);
            }
        }

        /** Gives up on a call that did not even answer its cancellation. */
        synchronized void abandon() {
            if (!finished) {
                finished = true;
                finalFlush();
                done.countDown();
            }
        }

        @Override
        public synchronized void onNext(Verdict v) {
            long now = System.nanoTime();
            if (finished) {
                return;
            }
            Sent s = sent.poll();
            if (s == null) {
                warn.accept("ignoring a verdict nobody asked for: frame_id '" + v.getFrameId() + "'");
                requests.request(1);
                return;
            }
            double latencyMs = (now - s.sentNanos) / 1e6;
            boolean matches = v.getFrameId().equals(s.file.frameId());
            if (s.mapRequest()) {
                if (!matches) {
                    overlays.fail(s.file, "the map verdict was for '" + v.getFrameId() + "'");
                } else if (v.hasError()) {
                    overlays.fail(s.file, v.getError().getCode() + ": " + v.getError().getMessage());
                } else {
                    overlays.submit(s.file, s.bytes, v.getMapPng().toByteArray(),
                            v.getMaskPng().toByteArray());
                }
            } else if (!matches) {
                s.pending.result = FrameResult.error(s.file, "PROTOCOL", "got the verdict for '"
                        + v.getFrameId() + "' where this frame's was due", latencyMs);
            } else {
                FrameResult r = FrameResult.of(s.file, v, latencyMs);
                s.pending.result = r;
                if (overlays != null && r.judged()) {
                    if (config.maps() == MapsMode.ALL) {
                        overlays.submit(s.file, s.bytes, v.getMapPng().toByteArray(),
                                v.getMaskPng().toByteArray());
                    } else if (r.outcome() == FrameResult.Outcome.NG && !stopping) {
                        mapRequests.add(new Sent(null, s.file, s.bytes));
                    }
                }
            }
            requests.request(1);
            pump();
            flush();
        }

        @Override
        public synchronized void onError(Throwable t) {
            if (finished) {
                return;
            }
            Status status = Status.fromThrowable(t);
            String why = status.getCode() + (status.getDescription() == null ? ""
                    : ": " + status.getDescription());
            if (!cancelled) {
                streamError = why;
            }
            failInFlight(status.getCode().name(), "stream failed: " + why);
            finished = true;
            finalFlush();
            done.countDown();
        }

        @Override
        public synchronized void onCompleted() {
            if (finished) {
                return;
            }
            if (!sent.isEmpty()) {
                streamError = "the service ended the stream with " + sent.size()
                        + " frame(s) unanswered";
                failInFlight("UNKNOWN", "no verdict: the service ended the stream");
            } else if (!halfClosed) {
                streamError = "the service ended the stream before every frame was sent";
            }
            finished = true;
            finalFlush();
            done.countDown();
        }

        /** Frames on the wire when the call ended: errors, unless we cancelled it (skipped). */
        private void failInFlight(String code, String message) {
            for (Sent s : sent) {
                if (s.mapRequest()) {
                    overlays.fail(s.file, message);
                } else if (!cancelled) {
                    s.pending.result = FrameResult.error(s.file, code, message, Double.NaN);
                }
            }
            sent.clear();
            if (overlays != null) {
                for (Sent m : mapRequests) {
                    overlays.fail(m.file, message);
                }
            }
            mapRequests.clear();
        }

        /** Hands finished results to the sink, in file order, up to the first one still due. */
        private void flush() {
            while (!order.isEmpty() && order.peek().result != null) {
                deliver(order.poll().result);
            }
        }

        /** At the end: delivers what finished; what never got an answer is skipped. */
        private void finalFlush() {
            while (!order.isEmpty()) {
                Pending p = order.poll();
                if (p.result != null) {
                    deliver(p.result);
                }
            }
        }

        private void deliver(FrameResult r) {
            stats.add(r);
            try {
                sink.accept(r);
            } catch (RuntimeException e) {
                warn.accept("result handler failed on " + r.file().frameId() + ": " + describe(e));
            }
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}

package ai.dad.client.stream;

import ai.dad.client.net.Backoff;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.MapPolicy;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.Verdict;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The state of one stream run across the InspectStream calls it takes (more than one when a
 * failed call is reopened): the frames in file order waiting for their results, the frames a
 * failed call left unanswered (sent again first on the next call), and the current {@link Call}. Every method holds the session's lock, so requests go out one at
 * a time and results are handed over one at a time, in file order. {@link StreamRunner} drives
 * it; see there for the rules.
 */
final class StreamRun {

    private final StreamConfig config;
    private final Consumer<String> warn;
    private final StreamStats stats;
    private final FrameSource source;
    private final Consumer<FrameResult> sink;
    private final OverlayWriter overlays;
    private final ArrayDeque<Pending> order = new ArrayDeque<>();
    private final ArrayDeque<Sent> resend = new ArrayDeque<>();
    private Call call;
    private boolean stopping;
    private boolean ended;
    private String streamError;

    StreamRun(StreamConfig config, Consumer<String> warn, StreamStats stats,
                  FrameSource source, Consumer<FrameResult> sink, OverlayWriter overlays) {
        this.config = config;
        this.warn = warn;
        this.stats = stats;
        this.source = source;
        this.sink = sink;
        this.overlays = overlays;
    }

    /** A line of output waiting for its result, in file order. */
    private static final class Pending {
        final FrameFile file;
        FrameResult result;

        Pending(FrameFile file) {
            this.file = file;
        }
    }

    /** A request on the wire; {@code bytes} are kept only when an overlay may need them. */
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
    }

    /** Starts a new call on the channel and sends what the window allows. */
    Call open(Channel channel, Deadline deadline) {
        Call c = new Call();
        synchronized (this) {
            if (ended) {
                throw new IllegalStateException("the session has ended");
            }
            call = c;
        }
        InspectorGrpc.InspectorStub stub = InspectorGrpc.newStub(channel);
        if (deadline != null) {
            stub = stub.withDeadline(deadline);
        }
        stub.inspectStream(c);
        pump();
        return c;
    }

    synchronized String streamError() {
        return streamError;
    }

    synchronized int inFlight(Call c) {
        return c.sent.size();
    }

    /** Nanoseconds since the call was half-closed (0 while it is not). */
    synchronized long halfClosedFor(Call c) {
        return c.halfClosed && !c.cancelled && !c.finished ? System.nanoTime() - c.halfClosedNanos : 0;
    }

    /** Sends while the window has room and the transport is ready; half-closes at the end. */
    synchronized void pump() {
        Call c = call;
        if (c == null || ended || c.requests == null || c.finished || c.halfClosed) {
            return;
        }
        while (!stopping && c.sent.size() < config.concurrency() && c.requests.isReady()) {
            Sent again = resend.poll();
            if (again != null) {
                byte[] bytes = again.bytes != null ? again.bytes : read(again.pending);
                if (bytes != null) {
                    c.send(again, bytes);
                }
                continue;
            }
            FrameFile file = source.next();
            if (file == null) {
                break;
            }
            Pending p = new Pending(file);
            order.add(p);
            if (file.walkError() != null) {
                p.result = FrameResult.error(file, FrameResult.LOCAL, file.walkError(), Double.NaN);
                continue;
            }
            byte[] bytes = read(p);
            if (bytes != null) {
                c.send(new Sent(p, file, config.writesMaps() ? bytes : null), bytes);
            }
        }
        flush();
        c.halfCloseWhenDone();
    }

    /** Reads a frame's file, or sets its result to a local error and returns null. */
    private byte[] read(Pending p) {
        FrameFile file = p.file;
        try {
            long size = Files.size(file.path());
            if (size > config.maxFrameBytes()) {
                p.result = FrameResult.error(file, FrameResult.LOCAL, "the file has " + size
                        + " bytes, more than the " + config.maxFrameBytes()
                        + " a request may carry", Double.NaN);
                return null;
            }
            return Files.readAllBytes(file.path());
        } catch (IOException | RuntimeException e) {
            p.result = FrameResult.error(file, FrameResult.LOCAL,
                    "cannot read " + file.path() + ": " + describe(e), Double.NaN);
            return null;
        }
    }

    /** Stops sending new frames; what is in flight is still awaited. Safe any time. */
    synchronized void stopSending() {
        if (stopping || ended) {
            return;
        }
        stopping = true;
        resend.clear(); // never answered: skipped
        Call c = call;
        if (c != null && c.requests != null && !c.finished) {
            c.halfCloseWhenDone();
        }
    }

    /** Cancels a call (stop timeout, or a service that does not end the stream). */
    synchronized void cancel(Call c) {
        if (!c.finished && c.requests != null) {
            c.cancelled = true;
            c.halfClosed = true;
            stopping = true;
            c.requests.cancel("stopped by the user", null);
        }
    }

    /** Gives up on a call that did not even answer its cancellation. */
    synchronized void abandon(Call c) {
        if (!c.finished) {
            c.cancelled = true;
            c.finished = true;
            c.done.countDown();
        }
    }

    /**
     * Whether an ended call is to be reopened: it failed with a status that is retried, nobody
     * cancelled it, the run is not stopping, and frames are left to send or to answer.
     */
    synchronized boolean retryable(Call c) {
        return c.failure != null && Backoff.retryable(c.failure.getCode()) && !c.cancelled
                && !stopping && !ended
                && (!c.sent.isEmpty() || !resend.isEmpty() || !source.exhausted());
    }

    /** Puts what a failed call left unanswered back in line, first for the next call. */
    synchronized void requeue(Call c) {
        Iterator<Sent> it = c.sent.descendingIterator();
        while (it.hasNext()) {
            resend.addFirst(it.next());
        }
        c.sent.clear();
    }

    /**
     * Ends the run after its last call: frames the call left unanswered become errors with its
     * status (skipped instead when the call was cancelled here), and every result is handed over.
     */
    synchronized void end(Call c) {
        if (ended) {
            return;
        }
        if (c.failure != null) {
            String why = Backoff.describe(c.failure);
            if (!c.cancelled) {
                streamError = why;
            }
            failUnanswered(c, c.failure.getCode().name(), "stream failed: " + why);
        } else {
            if (c.endError != null) {
                streamError = c.endError;
            }
            failUnanswered(c, "UNKNOWN", "no verdict: the service ended the stream");
        }
        ended = true;
        finalFlush();
    }

    private void failUnanswered(Call c, String code, String message) {
        if (!c.cancelled) {
            for (Sent s : c.sent) {
                s.pending.result = FrameResult.error(s.file, code, message, Double.NaN);
            }
            for (Sent s : resend) {
                s.pending.result = FrameResult.error(s.file, code, message, Double.NaN);
            }
        }
        c.sent.clear();
        resend.clear();
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

    private void verdict(Call c, Verdict v) {
        long now = System.nanoTime();
        Sent s = c.sent.poll();
        if (s == null) {
            warn.accept("ignoring a verdict nobody asked for: frame_id '" + v.getFrameId() + "'");
            c.requests.request(1);
            return;
        }
        c.verdicts++;
        double latencyMs = (now - s.sentNanos) / 1e6;
        if (!v.getFrameId().equals(s.file.frameId())) {
            s.pending.result = FrameResult.error(s.file, "PROTOCOL", "got the verdict for '"
                    + v.getFrameId() + "' where this frame's was due", latencyMs);
        } else {
            FrameResult r = FrameResult.of(s.file, v, latencyMs);
            s.pending.result = r;
            boolean wanted = config.maps() == MapsMode.ALL
                    || r.outcome() == FrameResult.Outcome.NG;
            if (overlays != null && r.judged() && wanted) {
                if (v.getMapPng().isEmpty()) {
                    overlays.fail(s.file, "the verdict carries no map (a service older than map_policy?)");
                } else {
                    overlays.submit(s.file, s.bytes, v.getMapPng().toByteArray(),
                            v.getMaskPng().toByteArray());
                }
            }
        }
        c.requests.request(1);
        pump();
        flush();
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** One InspectStream call of the session. */
    final class Call implements ClientResponseObserver<InspectRequest, Verdict> {
        final CountDownLatch done = new CountDownLatch(1);
        private final ArrayDeque<Sent> sent = new ArrayDeque<>();
        private volatile ClientCallStreamObserver<InspectRequest> requests;
        private boolean halfClosed;
        private long halfClosedNanos;
        private boolean finished;
        private boolean cancelled;
        private Status failure;
        private String endError;
        private int verdicts;

        @Override
        public void beforeStart(ClientCallStreamObserver<InspectRequest> r) {
            this.requests = r;
            r.disableAutoRequestWithInitial(1);
            r.setOnReadyHandler(StreamRun.this::pump);
        }

        /** Verdicts this call received. */
        int verdicts() {
            synchronized (StreamRun.this) {
                return verdicts;
            }
        }

        /** How the call failed, for messages. */
        String failureText() {
            synchronized (StreamRun.this) {
                return failure == null ? "ended" : Backoff.describe(failure);
            }
        }

        private void send(Sent s, byte[] bytes) {
            InspectRequest.Builder b = InspectRequest.newBuilder()
                    .setFrameId(s.file.frameId())
                    .setModel(config.model())
                    .setImage(UnsafeByteOperations.unsafeWrap(bytes));
            Options.Builder o = Options.newBuilder();
            MapPolicy policy = config.mapPolicy();
            if (policy != MapPolicy.MAP_NEVER) {
                // One round trip: the service attaches the map to the verdicts the policy names.
                o.setMapPolicy(policy).setReturnMap(config.writesMaps()).setReturnMask(config.writesMaps())
                        .setReturnRawMap(config.rawMaps());
            }
            if (config.thresholdOverride() > 0) {
                o.setThresholdOverride(config.thresholdOverride());
            }
            if (policy != MapPolicy.MAP_NEVER || config.thresholdOverride() > 0) {
                b.setOptions(o);
            }
            s.sentNanos = System.nanoTime();
            sent.add(s);
            requests.onNext(b.build());
        }

        private void halfCloseWhenDone() {
            if (!halfClosed && !finished && sent.isEmpty()
                    && (stopping || (resend.isEmpty() && source.exhausted()))) {
                halfClosed = true;
                halfClosedNanos = System.nanoTime();
                requests.onCompleted();
            }
        }

        @Override
        public void onNext(Verdict v) {
            synchronized (StreamRun.this) {
                if (!finished && !ended) {
                    verdict(this, v);
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (StreamRun.this) {
                if (!finished) {
                    failure = Status.fromThrowable(t);
                    finished = true;
                    done.countDown();
                }
            }
        }

        @Override
        public void onCompleted() {
            synchronized (StreamRun.this) {
                if (finished) {
                    return;
                }
                if (!sent.isEmpty()) {
                    endError = "the service ended the stream with " + sent.size()
                            + " frame(s) unanswered";
                } else if (!halfClosed) {
                    endError = "the service ended the stream before every frame was sent";
                }
                finished = true;
                done.countDown();
            }
        }
    }
}

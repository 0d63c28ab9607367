package ai.dad.service.grpc;

import ai.dad.proto.v1.Error;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.Verdict;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One InspectStream call. Frames are processed concurrently (so they can share batches) but
 * verdicts go out in request order, one per request, with the request's frame_id; a bad frame
 * gets an error verdict and the stream goes on.
 *
 * <p>Flow control is explicit, as in grpc-java's manual flow control example: automatic
 * inbound requests are off, the session asks for {@code window} frames at first and for one
 * more each time it has sent a verdict, and it sends only while the transport is ready. A
 * client that stops reading therefore stops the server from reading more: memory stays bounded.
 */
final class StreamSession implements StreamObserver<InspectRequest> {
    private final ServerCallStreamObserver<Verdict> out;
    private final FramePipeline pipeline;
    private final Consumer<Status.Code> errorCounter;
    private final long deadlineNanos;
    private final Deque<CompletableFuture<Verdict>> pending = new ArrayDeque<>();
    private boolean halfClosed;
    private boolean finished;
    private boolean cancelled;

    StreamSession(ServerCallStreamObserver<Verdict> out, FramePipeline pipeline, int window, long deadlineNanos,
            Consumer<Status.Code> errorCounter) {
        this.out = out;
        this.pipeline = pipeline;
        this.deadlineNanos = deadlineNanos;
        this.errorCounter = errorCounter;
        out.disableAutoRequest();
        out.setOnReadyHandler(this::drain);
        out.setOnCancelHandler(this::cancelAll);
        out.request(window);
    }

    @Override
    public void onNext(InspectRequest request) {
        CompletableFuture<Verdict> verdict = pipeline.inspect(request, deadlineNanos, this::abandoned)
                .handle((v, error) -> error == null ? v : errorVerdict(request.getFrameId(), error));
        synchronized (this) {
            pending.addLast(verdict);
        }
        verdict.whenComplete((v, e) -> drain());
    }

    @Override
    public void onError(Throwable t) {
        cancelAll();
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            halfClosed = true;
        }
        drain();
    }

    /** Sends every finished verdict at the head of the line while the transport can take it. */
    private void drain() {
        synchronized (this) {
            if (finished) {
                return;
            }
            while (!pending.isEmpty() && pending.peekFirst().isDone() && out.isReady()) {
                out.onNext(pending.pollFirst().join());
                out.request(1);
            }
            if (halfClosed && pending.isEmpty()) {
                finished = true;
                out.onCompleted();
            }
        }
    }

    /** Whether the client went away: frames of this stream not yet computed are then dropped. */
    private synchronized boolean abandoned() {
        return cancelled;
    }

    private void cancelAll() {
        synchronized (this) {
            finished = true;
            cancelled = true;
            pending.forEach(f -> f.cancel(false));
            pending.clear();
        }
    }

    private Verdict errorVerdict(String frameId, Throwable error) {
        Status status = Errors.toStatus(error);
        errorCounter.accept(status.getCode());
        return Verdict.newBuilder()
                .setFrameId(frameId)
                .setError(Error.newBuilder().setCode(status.getCode().name())
                        .setMessage(status.getDescription() == null ? "" : status.getDescription()))
                .build();
    }
}

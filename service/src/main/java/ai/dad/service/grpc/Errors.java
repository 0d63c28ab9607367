package ai.dad.service.grpc;

import ai.dad.service.batch.DeadlineExpiredException;
import ai.dad.service.batch.QueueFullException;
import ai.dad.service.frame.InvalidFrameException;
import ai.dad.service.model.ModelNotFoundException;
import ai.dad.service.model.ServiceUnavailableException;
import io.grpc.Status;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/** Maps what went wrong with a frame to the gRPC status the caller gets, with a message naming the problem. */
final class Errors {
    private Errors() {}

    static Status toStatus(Throwable error) {
        Throwable e = unwrap(error);
        Status status;
        if (e instanceof InvalidFrameException) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof ModelNotFoundException) {
            status = Status.NOT_FOUND;
        } else if (e instanceof QueueFullException || e instanceof RejectedExecutionException) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (e instanceof DeadlineExpiredException) {
            status = Status.DEADLINE_EXCEEDED;
        } else if (e instanceof ServiceUnavailableException) {
            status = Status.UNAVAILABLE;
        } else if (e instanceof CancellationException) {
            status = Status.CANCELLED;
        } else {
            return Status.INTERNAL.withDescription("inspection failed: " + message(e)).withCause(e);
        }
        return status.withDescription(message(e)).withCause(e);
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}

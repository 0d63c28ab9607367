package ai.dad.client.net;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Retries on {@code UNAVAILABLE} with exponential back-off: the k-th retry in a row waits
 * {@code initial * 2^(k-1)}, at most {@code max}, each wait shortened at random by up to 20 % so
 * that many clients that lost the same service do not come back in step.
 *
 * <p>This is the client's own loop, not grpc-java's service-config {@code retryPolicy}: the same
 * rule then also reopens a stream that failed after verdicts had already come back (grpc-java
 * only retries a call before its first response), every retry is reported, and before each one
 * the channel is told to reconnect at once instead of waiting for its own reconnect back-off.
 * Only {@code UNAVAILABLE} is retried: the service refuses or is unreachable, and nothing was
 * computed. Every other status (a bad frame, an unknown model, an expired deadline) is final.
 *
 * @param retries how many retries after the first attempt (0: none)
 * @param initial the wait before the first retry
 * @param max the longest wait
 */
public record Backoff(int retries, Duration initial, Duration max) {

    /** The command line's waits: 250 ms, 500 ms, 1 s, ... at most 10 s. */
    public static final Duration DEFAULT_INITIAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_MAX = Duration.ofSeconds(10);

    /** No retries. */
    public static final Backoff NONE = retries(0);

    public Backoff {
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + retries);
        }
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("bad back-off " + initial + " .. " + max);
        }
    }

    /** {@code n} retries with the command line's waits. */
    public static Backoff retries(int n) {
        return new Backoff(n, DEFAULT_INITIAL, DEFAULT_MAX);
    }

    /** Whether a call that failed with this code is tried again. */
    public static boolean retryable(Status.Code code) {
        return code == Status.Code.UNAVAILABLE;
    }

    /** The longest wait before retry number {@code retry} (1 for the first). */
    public Duration ceiling(int retry) {
        long ms = initial.toMillis();
        for (int i = 1; i < retry && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    /** The wait before retry number {@code retry}: the ceiling, less up to 20 % at random. */
    public Duration delay(int retry) {
        long ceiling = ceiling(retry).toMillis();
        return Duration.ofMillis(ceiling - (long) (ceiling * 0.2 * ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * Runs a unary call until it succeeds, fails with a status that is not retried, or the retries
     * are used up; then the last failure is thrown.
     *
     * @param attempt one attempt (with its own deadline)
     * @param warn told about each retry, one line
     * @param reconnect run after each wait, before the next attempt
     */
    public <T> T call(Supplier<T> attempt, Consumer<String> warn, Runnable reconnect)
            throws InterruptedException {
        for (int retry = 1; ; retry++) {
            try {
                return attempt.get();
            } catch (StatusRuntimeException e) {
                if (!retryable(e.getStatus().getCode()) || retry > retries) {
                    throw e;
                }
                Duration wait = delay(retry);
                warn.accept(describe(e.getStatus()) + "; retry " + retry + " of " + retries
                        + " in " + wait.toMillis() + " ms");
                Thread.sleep(wait.toMillis());
                reconnect.run();
            }
        }
    }

    /** {@code CODE: description}. */
    public static String describe(Status s) {
        return s.getCode() + (s.getDescription() == null ? "" : ": " + s.getDescription());
    }
}

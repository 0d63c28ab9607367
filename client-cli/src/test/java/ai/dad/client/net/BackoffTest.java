package ai.dad.client.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void waitsDoubleUpToTheMaximumLessAtMostAFifth() {
        Backoff b = Backoff.retries(10);
        long[] expected = {250, 500, 1000, 2000, 4000, 8000, 10000, 10000};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], b.ceiling(i + 1).toMillis());
            for (int k = 0; k < 20; k++) {
                long d = b.delay(i + 1).toMillis();
                assertTrue(d <= expected[i] && d >= 0.8 * expected[i] - 1, "retry " + (i + 1) + ": " + d);
            }
        }
    }

    @Test
    void retriesUnavailableOnlyAndGivesUpAfterTheLastRetry() throws Exception {
        Backoff b = new Backoff(2, Duration.ofMillis(1), Duration.ofMillis(2));
        List<String> warnings = new ArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger reconnects = new AtomicInteger();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> b.call(() -> {
            attempts.incrementAndGet();
            throw Status.UNAVAILABLE.withDescription("down").asRuntimeException();
        }, warnings::add, reconnects::incrementAndGet));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        assertEquals(3, attempts.get());
        assertEquals(2, reconnects.get());
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(1).startsWith("UNAVAILABLE: down; retry 2 of 2 in"), warnings.get(1));

        attempts.set(0);
        assertThrows(StatusRuntimeException.class, () -> b.call(() -> {
            attempts.incrementAndGet();
            throw Status.INVALID_ARGUMENT.asRuntimeException();
        }, warnings::add, () -> { }));
        assertEquals(1, attempts.get(), "other codes are final");

        attempts.set(0);
        assertEquals("ok", b.call(() -> {
            if (attempts.incrementAndGet() < 2) {
                throw Status.UNAVAILABLE.asRuntimeException();
            }
            return "ok";
        }, warnings::add, () -> { }));
    }

    @Test
    void noRetriesMeansOneAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        assertThrows(StatusRuntimeException.class, () -> Backoff.NONE.call(() -> {
            attempts.incrementAndGet();
            throw Status.UNAVAILABLE.asRuntimeException();
        }, w -> { }, () -> { }));
        assertEquals(1, attempts.get());
    }
}

package ai.dad.client.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.client.testing.FakeInspector;
import ai.dad.client.testing.FakeService;
import ai.dad.client.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** --watch against the test double: new files go out on the same stream until stop() (Ctrl-C). */
@Timeout(60)
class WatchRunnerTest {

    @TempDir
    Path tmp;

    private static FolderWatcher.Settings fast() {
        return FolderWatcher.Settings.of(Duration.ofMillis(20), Duration.ofMillis(100), null);
    }

    @Test
    void filesDroppedWhileRunningGoOutOnOneStreamUntilStopped() throws Exception {
        for (int i = 0; i < 3; i++) {
            TestImages.write(tmp.resolve("first/f" + i + ".png"), 0.1);
        }
        List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
        try (FakeService service = new FakeService();
             FolderWatcher watcher = new FolderWatcher(List.of(tmp), fast(), w -> { })) {
            StreamRunner runner = new StreamRunner(service.channel(), StreamConfig.DEFAULTS, w -> { });
            CompletableFuture<StreamSummary> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.run(watcher, results::add);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> results.size() >= 3);
            for (int i = 0; i < 5; i++) {
                TestImages.write(tmp.resolve("later/l" + i + ".png"), 0.9);
            }
            await(() -> results.size() >= 8);
            runner.stop();
            StreamSummary s = run.get(20, TimeUnit.SECONDS);
            assertEquals(8, s.frames());
            assertEquals(8, s.total());
            assertEquals(5, s.ng());
            assertEquals(0, s.skipped());
            assertTrue(s.interrupted());
            assertNull(s.streamError());
            assertEquals(1, service.inspector.streamCalls(), "one stream for everything");
            assertEquals(List.of("first/f0.png", "first/f1.png", "first/f2.png"),
                    results.subList(0, 3).stream().map(r -> r.file().frameId()).toList());
        }
    }

    @Test
    void stopDrainsTheFramesInFlight() throws Exception {
        for (int i = 0; i < 60; i++) {
            TestImages.write(tmp.resolve(String.format("f%02d.png", i)), 0.1);
        }
        List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
        try (FakeService service = new FakeService(new FakeInspector().delayMicros(20_000));
             FolderWatcher watcher = new FolderWatcher(List.of(tmp), fast(), w -> { })) {
            StreamRunner runner = new StreamRunner(service.channel(), StreamConfig.DEFAULTS, w -> { });
            StreamSummary s = runner.run(watcher, r -> {
                results.add(r);
                if (results.size() == 5) {
                    runner.stop();
                }
            });
            assertTrue(s.interrupted());
            assertEquals(service.inspector.seen().size(), s.frames(), "everything sent was answered");
            assertTrue(s.frames() >= 5 && s.frames() <= 5 + 8, "frames " + s.frames());
            assertEquals(60, s.total());
            assertEquals(60 - s.frames(), s.skipped());
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < until, "timed out");
            Thread.sleep(10);
        }
    }
}

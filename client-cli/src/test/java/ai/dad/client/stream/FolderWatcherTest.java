package ai.dad.client.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.client.testing.TestImages;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The polling rules of --watch, without a service. */
@Timeout(60)
class FolderWatcherTest {

    @TempDir
    Path tmp;

    private static FolderWatcher.Settings settings(long settleMs, Long idleMs) {
        return new FolderWatcher.Settings(Duration.ofMillis(20), Duration.ofMillis(settleMs),
                Duration.ofMillis(300), idleMs == null ? null : Duration.ofMillis(idleMs));
    }

    /** Polls the source until it has handed out n frames (or the time is up). */
    private static List<FrameFile> take(FrameSource s, int n, long ms) throws InterruptedException {
        List<FrameFile> got = new ArrayList<>();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        while (got.size() < n && System.nanoTime() < until) {
            FrameFile f = s.next();
            if (f == null) {
                Thread.sleep(10);
            } else {
                got.add(f);
            }
        }
        return got;
    }

    @Test
    void presentFilesFirstInWalkOrderThenNewOnesOnceEach() throws Exception {
        TestImages.write(tmp.resolve("b.png"), 0.1);
        TestImages.write(tmp.resolve("a/z.png"), 0.1);
        try (FolderWatcher w = new FolderWatcher(List.of(tmp), settings(100, null), s -> { })) {
            assertEquals(List.of("a/z.png", "b.png"),
                    take(w, 2, 5000).stream().map(FrameFile::frameId).toList());
            TestImages.write(tmp.resolve("c.jpg"), 0.1);
            Files.writeString(tmp.resolve("notes.txt"), "ignored");
            assertEquals(List.of("c.jpg"), take(w, 1, 5000).stream().map(FrameFile::frameId).toList());
            assertTrue(take(w, 1, 400).isEmpty(), "nothing twice");
            assertEquals(3, w.total());
            assertFalse(w.exhausted(), "runs until stopped");
        }
    }

    @Test
    void aFileStillBeingWrittenIsNotTaken() throws Exception {
        try (FolderWatcher w = new FolderWatcher(List.of(tmp), settings(600, null), s -> { })) {
            Path slow = tmp.resolve("slow.png");
            long lastWrite = 0;
            try (OutputStream o = Files.newOutputStream(slow)) {
                for (int i = 0; i < 8; i++) {
                    Thread.sleep(100); // pauses shorter than the settle time
                    assertNull(w.next(), "taken while written, after " + i + " writes");
                    o.write(new byte[100]);
                    o.flush();
                    lastWrite = System.nanoTime();
                }
            }
            List<FrameFile> got = take(w, 1, 5000);
            assertEquals(1, got.size());
            assertTrue(System.nanoTime() - lastWrite >= TimeUnit.MILLISECONDS.toNanos(590),
                    "waited for the settle time after the last write");
            assertTrue(take(w, 1, 500).isEmpty());
        }
    }

    @Test
    void aChangedFileIsTakenAgainAndADanglingLinkAfterTheGrace() throws Exception {
        Path f = TestImages.write(tmp.resolve("f.png"), 0.1);
        Files.createSymbolicLink(tmp.resolve("dangling.png"), tmp.resolve("nowhere.png"));
        try (FolderWatcher w = new FolderWatcher(List.of(tmp), settings(50, null), s -> { })) {
            List<FrameFile> first = take(w, 2, 5000);
            assertEquals(List.of("f.png", "dangling.png"), first.stream().map(FrameFile::frameId).toList(),
                    "the link comes once it is stable for the settle time and the grace");
            TestImages.write(f, 0.9);
            Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() + 5000));
            assertEquals(List.of("f.png"), take(w, 1, 5000).stream().map(FrameFile::frameId).toList());
            assertEquals(3, w.total());
        }
    }

    @Test
    void idleExitExhaustsTheSourceAndWakesTheRunner() throws Exception {
        TestImages.write(tmp.resolve("a.png"), 0.1);
        AtomicInteger wakes = new AtomicInteger();
        try (FolderWatcher w = new FolderWatcher(List.of(tmp.resolve("missing-yet"), tmp),
                settings(50, 300L), s -> { })) {
            w.onAvailable(wakes::incrementAndGet);
            assertEquals(1, take(w, 1, 5000).size());
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!w.exhausted() && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertTrue(w.exhausted());
            assertTrue(wakes.get() >= 2, "woken for the file and for the end");
        }
    }
}

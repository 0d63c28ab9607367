package ai.dad.client.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.client.net.Backoff;
import ai.dad.client.testing.FakeInspector;
import ai.dad.client.testing.FakeService;
import ai.dad.proto.v1.MapPolicy;
import ai.dad.client.testing.TestImages;
import ai.dad.client.testing.TestImages.Kind;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The stream against the in-process test double of the service. */
@Timeout(60)
class StreamRunnerTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    @Test
    void everyFrameAnsweredOnceInOrderWithinTheWindow() throws Exception {
        List<Kind> kinds = TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        assertEquals(200, frames.size());
        try (FakeService service = new FakeService()) {
            List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
            StreamSummary s = new StreamRunner(service.channel(),
                    StreamConfig.DEFAULTS.withConcurrency(8), warnings::add)
                    .run(frames, results::add);

            assertEquals(200, results.size());
            for (int i = 0; i < 200; i++) {
                FrameResult r = results.get(i);
                assertEquals(TestImages.frameId(i), r.file().frameId(), "order at " + i);
                switch (kinds.get(i)) {
                    case OK -> assertEquals(FrameResult.Outcome.OK, r.outcome());
                    case NG -> assertEquals(FrameResult.Outcome.NG, r.outcome());
                    case BAD_BYTES -> {
                        assertEquals(FrameResult.Outcome.ERROR, r.outcome());
                        assertEquals("INVALID_ARGUMENT", r.errorCode());
                        assertFalse(Double.isNaN(r.latencyMs()));
                    }
                    case UNREADABLE -> {
                        assertEquals(FrameResult.Outcome.ERROR, r.outcome());
                        assertEquals(FrameResult.LOCAL, r.errorCode());
                        assertTrue(Double.isNaN(r.latencyMs()));
                    }
                }
                if (r.judged()) {
                    assertEquals(FakeInspector.brightness(read(frames.get(i).path())),
                            r.score(), 1e-9);
                    assertTrue(r.latencyMs() >= 0);
                }
            }
            // Sent exactly once each (no maps without --out), in order; the link never left.
            List<String> sentIds = service.inspector.seen().stream()
                    .map(FakeInspector.Seen::frameId).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                if (kinds.get(i) != Kind.UNREADABLE) {
                    expected.add(TestImages.frameId(i));
                }
            }
            assertEquals(expected, sentIds);

            assertEquals(count(kinds, Kind.OK), s.ok());
            assertEquals(count(kinds, Kind.NG), s.ng());
            assertEquals(5, s.errors());
            assertEquals(200, s.frames());
            assertEquals(0, s.skipped());
            assertNull(s.streamError());
            assertEquals(StreamSummary.EXIT_ERRORS, s.exitCode(false));
            assertTrue(s.p50Ms() <= s.p95Ms() && s.p95Ms() <= s.p99Ms());

            int max = service.inspector.maxOutstanding();
            assertTrue(max <= 8, "outstanding " + max + " > window 8");
            assertTrue(max > 1, "the window was never used: max outstanding " + max);
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void windowOfOneIsLockStep() throws Exception {
        TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        try (FakeService service = new FakeService()) {
            StreamSummary s = new StreamRunner(service.channel(),
                    StreamConfig.DEFAULTS.withConcurrency(1), warnings::add)
                    .run(frames, r -> { });
            assertEquals(200, s.frames());
            assertEquals(1, service.inspector.maxOutstanding());
        }
    }

    @Test
    void ngMapsWriteOverlaysForNgFramesOnlyAndStayInTheWindow() throws Exception {
        List<Kind> kinds = TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        Path out = tmp.resolve("out");
        try (FakeService service = new FakeService()) {
            StreamSummary s = new StreamRunner(service.channel(),
                    StreamConfig.DEFAULTS.withOut(out, MapsMode.NG), warnings::add)
                    .run(frames, r -> { });
            int ng = count(kinds, Kind.NG);
            assertEquals(ng, s.ng());
            assertEquals(ng, s.overlays());
            assertEquals(0, s.overlayErrors());
            for (int i = 0; i < 200; i++) {
                String stem = TestImages.frameId(i).replace(".png", "");
                Path overlay = out.resolve(stem + "_overlay.png");
                Path mask = out.resolve(stem + "_mask.png");
                boolean want = kinds.get(i) == Kind.NG;
                assertEquals(want, Files.exists(overlay), overlay.toString());
                assertEquals(want, Files.exists(mask), mask.toString());
                if (want) {
                    BufferedImage o = ImageIO.read(overlay.toFile());
                    assertEquals(16, o.getWidth());
                    assertEquals(12, o.getHeight());
                }
            }
            // One round trip per frame: each was sent once, asking for maps under MAP_NG_ONLY.
            Map<String, Long> sends = service.inspector.seen().stream()
                    .collect(Collectors.groupingBy(FakeInspector.Seen::frameId, Collectors.counting()));
            assertEquals(199, sends.size());
            sends.values().forEach(n -> assertEquals(1L, n));
            assertTrue(service.inspector.seen().stream()
                    .allMatch(seen -> seen.mapPolicy() == MapPolicy.MAP_NG_ONLY && seen.returnMap()));
            assertTrue(service.inspector.maxOutstanding() <= 8);
        }
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void allMapsAskOnceAndWriteEveryJudgedFrame() throws Exception {
        List<Kind> kinds = TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        Path out = tmp.resolve("out");
        try (FakeService service = new FakeService()) {
            StreamSummary s = new StreamRunner(service.channel(),
                    StreamConfig.DEFAULTS.withOut(out, MapsMode.ALL).withConcurrency(4),
                    warnings::add).run(frames, r -> { });
            int judged = count(kinds, Kind.OK) + count(kinds, Kind.NG);
            assertEquals(judged, s.overlays());
            assertEquals(199, service.inspector.seen().size());
            assertTrue(service.inspector.seen().stream()
                    .allMatch(seen -> seen.mapPolicy() == MapPolicy.MAP_ALWAYS && seen.returnMap()));
            assertTrue(Files.exists(out.resolve("a/f000_overlay.png")));
            assertFalse(Files.exists(out.resolve("a/f007_overlay.png")));
            assertTrue(service.inspector.maxOutstanding() <= 4);
        }
    }

    @Test
    void aFailedCallTurnsInFlightFramesIntoErrorsAndSkipsTheRest() throws Exception {
        TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        try (FakeService service = new FakeService(new FakeInspector().failAfter(50))) {
            List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
            StreamSummary s = new StreamRunner(service.channel(), StreamConfig.DEFAULTS,
                    warnings::add).run(frames, results::add);
            assertNotNull(s.streamError());
            assertTrue(s.streamError().startsWith("UNAVAILABLE"), s.streamError());
            assertTrue(s.frames() >= 50 && s.frames() < 200, "frames " + s.frames());
            assertEquals(200 - s.frames(), s.skipped());
            assertTrue(results.stream().anyMatch(r -> "UNAVAILABLE".equals(r.errorCode())));
            assertEquals(StreamSummary.EXIT_ERRORS, s.exitCode(true));
        }
    }

    @Test
    void aFailedCallIsReopenedAndEveryFrameStillAnsweredOnceInOrder() throws Exception {
        List<Kind> kinds = TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        // Every call of the double fails with UNAVAILABLE after 50 verdicts.
        try (FakeService service = new FakeService(new FakeInspector().failAfter(50))) {
            List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
            StreamSummary s = new StreamRunner(service.channel(), StreamConfig.DEFAULTS.withBackoff(
                    new Backoff(1, Duration.ofMillis(5), Duration.ofMillis(20))), warnings::add)
                    .run(frames, results::add);
            assertNull(s.streamError(), warnings.toString());
            assertEquals(200, results.size());
            for (int i = 0; i < 200; i++) {
                FrameResult r = results.get(i);
                assertEquals(TestImages.frameId(i), r.file().frameId(), "order at " + i);
                Kind k = kinds.get(i);
                assertEquals(k == Kind.OK ? FrameResult.Outcome.OK : k == Kind.NG
                        ? FrameResult.Outcome.NG : FrameResult.Outcome.ERROR, r.outcome(), "at " + i);
            }
            assertEquals(3, s.reconnects(), "199 frames sent, 50 verdicts a call");
            assertEquals(4, service.inspector.streamCalls());
            assertEquals(3, warnings.stream().filter(w -> w.contains("reopening in")).count());
            assertEquals(StreamSummary.EXIT_ERRORS, s.exitCode(false), "the 5 bad files only");
            assertEquals(5, s.errors());
        }
    }

    @Test
    void aServiceThatStaysDownUsesUpTheRetries() throws Exception {
        TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        Backoff two = new Backoff(2, Duration.ofMillis(5), Duration.ofMillis(20));
        try (FakeService service = new FakeService(new FakeInspector().failStreams(2))) {
            StreamSummary s = new StreamRunner(service.channel(), StreamConfig.DEFAULTS.withBackoff(two),
                    warnings::add).run(frames, r -> { });
            assertNull(s.streamError(), "came back on the last retry");
            assertEquals(200, s.frames());
            assertEquals(2, s.reconnects());
        }
        try (FakeService service = new FakeService(new FakeInspector().failStreams(3))) {
            StreamSummary s = new StreamRunner(service.channel(), StreamConfig.DEFAULTS.withBackoff(two),
                    warnings::add).run(frames, r -> { });
            assertTrue(s.streamError().startsWith("UNAVAILABLE"), s.streamError());
            assertEquals(3, service.inspector.streamCalls());
            assertEquals(200, s.frames() + s.skipped());
            assertEquals(StreamSummary.EXIT_ERRORS, s.exitCode(false));
        }
    }

    @Test
    void stopSendsNoMoreAndWaitsForTheFramesInFlight() throws Exception {
        TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        try (FakeService service = new FakeService(new FakeInspector().delayMicros(3000))) {
            List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
            StreamRunner runner = new StreamRunner(service.channel(), StreamConfig.DEFAULTS,
                    warnings::add);
            StreamSummary s = runner.run(frames, r -> {
                results.add(r);
                if (results.size() == 20) {
                    runner.stop();
                }
            });
            assertTrue(s.interrupted());
            assertNull(s.streamError());
            int sent = service.inspector.seen().size();
            // Everything sent was answered (drained), nothing was sent after the stop.
            assertEquals(s.frames() - (int) results.stream()
                    .filter(r -> FrameResult.LOCAL.equals(r.errorCode())).count(), sent);
            assertTrue(s.frames() >= 20 && s.frames() <= 20 + 8, "frames " + s.frames());
            assertEquals(200 - s.frames(), s.skipped());
        }
    }

    @Test
    void stopCancelsWhenVerdictsDoNotComeWithinTheDrainTimeout() throws Exception {
        TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        try (FakeService service = new FakeService(new FakeInspector().hang())) {
            StreamRunner runner = new StreamRunner(service.channel(),
                    StreamConfig.DEFAULTS.withDrainTimeout(Duration.ofMillis(300)), warnings::add);
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                runner.stop();
            });
            stopper.start();
            long t0 = System.nanoTime();
            StreamSummary s = runner.run(frames, r -> { });
            assertTrue((System.nanoTime() - t0) / 1e9 < 10);
            assertEquals(8, service.inspector.seen().size());
            assertEquals(0, s.frames());
            assertEquals(200, s.skipped());
            assertTrue(s.interrupted());
            assertNull(s.streamError());
            assertEquals(StreamSummary.EXIT_OK, s.exitCode(true));
            assertEquals(1, warnings.size(), warnings.toString());
        }
    }

    @Test
    void deadlineOfTheWholeStream() throws Exception {
        TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        try (FakeService service = new FakeService(new FakeInspector().hang())) {
            StreamSummary s = new StreamRunner(service.channel(),
                    StreamConfig.DEFAULTS.withDeadline(Duration.ofMillis(200)), warnings::add)
                    .run(frames, r -> { });
            assertTrue(s.streamError().startsWith("DEADLINE_EXCEEDED"), s.streamError());
            assertEquals(8, s.errors());
            assertEquals(192, s.skipped());
        }
    }

    @Test
    void aServiceThatNeverEndsTheStreamIsCancelledAfterTheDrainTimeout() throws Exception {
        TestImages.folder(tmp.resolve("in"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("in")));
        try (FakeService service = new FakeService(new FakeInspector().neverClose())) {
            StreamSummary s = new StreamRunner(service.channel(),
                    StreamConfig.DEFAULTS.withDrainTimeout(Duration.ofMillis(300)), warnings::add)
                    .run(frames, r -> { });
            assertEquals(200, s.frames());
            assertEquals(0, s.skipped());
            assertNull(s.streamError());
            assertFalse(s.interrupted());
            assertEquals(1, warnings.size(), warnings.toString());
        }
    }

    @Test
    void filesOverTheRequestLimitAreLocalErrorsAndAreNotSent() throws Exception {
        Path in = tmp.resolve("in");
        ai.dad.client.testing.TestImages.write(in.resolve("a.png"), 0.2);
        Files.write(in.resolve("b.png"), new byte[5000]);
        ai.dad.client.testing.TestImages.write(in.resolve("c.png"), 0.8);
        List<FrameFile> frames = FrameWalker.walk(List.of(in));
        try (FakeService service = new FakeService()) {
            List<FrameResult> results = Collections.synchronizedList(new ArrayList<>());
            StreamSummary s = new StreamRunner(service.channel(),
                    StreamConfig.DEFAULTS.withMaxFrameBytes(4000), warnings::add)
                    .run(frames, results::add);
            assertEquals(List.of("a.png", "b.png", "c.png"),
                    results.stream().map(r -> r.file().frameId()).toList());
            assertEquals(FrameResult.LOCAL, results.get(1).errorCode());
            assertTrue(results.get(1).errorMessage().contains("5000 bytes"));
            assertEquals(List.of("a.png", "c.png"), service.inspector.seen().stream()
                    .map(FakeInspector.Seen::frameId).toList());
            assertEquals(1, s.errors());
            assertEquals(1, s.ng());
        }
    }

    private static int count(List<Kind> kinds, Kind k) {
        return (int) kinds.stream().filter(k::equals).count();
    }

    private static BufferedImage read(Path p) throws java.io.IOException {
        return ImageIO.read(p.toFile());
    }
}

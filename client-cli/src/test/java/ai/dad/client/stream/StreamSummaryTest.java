package ai.dad.client.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.Verdict;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StreamSummaryTest {

    @Test
    void nearestRankPercentiles() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = 100 - i; // unsorted on purpose: 100 .. 1
        }
        Percentiles p = new Percentiles(v);
        assertEquals(50, p.get(50));
        assertEquals(95, p.get(95));
        assertEquals(99, p.get(99));
        assertEquals(100, p.get(100));
        assertEquals(1, p.get(0.5));

        Percentiles three = new Percentiles(new double[] {30, 10, 20});
        assertEquals(20, three.get(50));
        assertEquals(30, three.get(95));
        assertEquals(30, three.get(99));
        assertEquals(7, new Percentiles(new double[] {7}).get(99));
        assertTrue(Double.isNaN(new Percentiles(new double[0]).get(50)));
        assertThrows(IllegalArgumentException.class, () -> p.get(0));
    }

    @Test
    void exitCodesErrorsWinOverNg() {
        assertEquals(0, summary(0, 0, 0, null).exitCode(true));
        assertEquals(0, summary(3, 0, 0, null).exitCode(false));
        assertEquals(1, summary(3, 0, 0, null).exitCode(true));
        assertEquals(2, summary(3, 1, 0, null).exitCode(true));
        assertEquals(2, summary(0, 1, 0, null).exitCode(false));
        assertEquals(2, summary(0, 0, 1, null).exitCode(false));
        assertEquals(2, summary(0, 0, 0, "UNAVAILABLE").exitCode(false));
    }

    @Test
    void statsCountOutcomesAndTimeOnlyJudgedFrames() {
        StreamStats stats = new StreamStats();
        FrameFile f = new FrameFile(Path.of("x.png"), "x.png");
        for (int i = 1; i <= 300; i++) {
            Decision d = i % 3 == 0 ? Decision.NG : i % 3 == 1 ? Decision.OK : Decision.UNCALIBRATED;
            stats.add(FrameResult.of(f, Verdict.newBuilder().setFrameId("x.png").setDecision(d)
                    .setScore(0.1).build(), i));
        }
        stats.add(FrameResult.error(f, "INVALID_ARGUMENT", "bad", 100_000));
        stats.add(FrameResult.error(f, FrameResult.LOCAL, "gone", Double.NaN));

        StreamSummary s = stats.summary(310, 2_000_000_000L, 4, 0, false, null, 0);
        assertEquals(302, s.frames());
        assertEquals(100, s.ok());
        assertEquals(100, s.ng());
        assertEquals(100, s.uncalibrated());
        assertEquals(2, s.errors());
        assertEquals(8, s.skipped());
        assertEquals(150, s.p50Ms());
        assertEquals(285, s.p95Ms());
        assertEquals(297, s.p99Ms());
        assertEquals(151, s.throughputFps(), 1e-9);
        assertEquals(2.0, s.wallSeconds(), 1e-9);

        JsonObject j = s.toJson();
        assertEquals(302, j.get("frames").getAsInt());
        assertEquals(150.0, j.get("p50_ms").getAsDouble());
        assertEquals(4, j.get("overlays").getAsInt());
        assertTrue(j.get("stream_error").isJsonNull());
    }

    @Test
    void unknownNumbersAreNullInJson() {
        StreamSummary s = new StreamStats().summary(0, 0, 0, 0, false, null, 0);
        JsonObject j = s.toJson();
        assertTrue(j.get("p50_ms").isJsonNull());
        assertTrue(j.get("throughput_fps").isJsonNull());
        assertTrue(s.toText().contains("p50 -"));
    }

    private static StreamSummary summary(int ng, int errors, int overlayErrors, String streamError) {
        return new StreamSummary(10, 10, 10 - ng - errors, ng, 0, errors, 0, 0, overlayErrors,
                1, 2, 3, 4, 5, false, streamError, 0);
    }
}

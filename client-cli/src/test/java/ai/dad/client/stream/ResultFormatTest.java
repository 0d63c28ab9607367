package ai.dad.client.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.Verdict;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ResultFormatTest {

    private final FrameFile file = new FrameFile(Path.of("in/a,b.png"), "a,b.png");
    private final FrameResult ng = FrameResult.of(file, Verdict.newBuilder().setFrameId("a,b.png")
            .setModel("bottle").setModelVersion("v1").setScore(0.71234567)
            .setNormalizedScore(2.5).setThreshold(0.5).setDecision(Decision.NG).build(), 12.3456);
    private final FrameResult err = FrameResult.of(file, Verdict.newBuilder().setFrameId("a,b.png")
            .setError(ai.dad.proto.v1.Error.newBuilder().setCode("INVALID_ARGUMENT")
                    .setMessage("cannot \"decode\"\nthe frame")).build(), 1.0);

    @Test
    void text() {
        String line = ResultFormat.TEXT.format(ng);
        assertTrue(line.startsWith("NG    score 0.7123  norm   +2.500"), line);
        assertTrue(line.endsWith("12.3 ms  in/a,b.png"), line);
        String e = ResultFormat.TEXT.format(err);
        assertTrue(e.startsWith("ERROR"), e);
        assertTrue(e.contains("(INVALID_ARGUMENT: cannot \"decode\" the frame)"), e);
        assertNull(ResultFormat.TEXT.header());
    }

    @Test
    void jsonLines() {
        JsonObject o = JsonParser.parseString(ResultFormat.JSON.format(ng)).getAsJsonObject();
        assertEquals("in/a,b.png", o.get("file").getAsString());
        assertEquals("a,b.png", o.get("frame_id").getAsString());
        assertEquals("NG", o.get("decision").getAsString());
        assertEquals(0.712346, o.get("score").getAsDouble());
        assertEquals(2.5, o.get("normalized_score").getAsDouble());
        assertEquals(12.346, o.get("latency_ms").getAsDouble());
        assertEquals("bottle", o.get("model").getAsString());
        assertFalse(o.has("error"));

        String line = ResultFormat.JSON.format(err);
        assertFalse(line.contains("\n"));
        JsonObject e = JsonParser.parseString(line).getAsJsonObject();
        assertEquals("ERROR", e.get("decision").getAsString());
        assertEquals("INVALID_ARGUMENT", e.getAsJsonObject("error").get("code").getAsString());
        assertFalse(e.has("score"));

        JsonObject local = JsonParser.parseString(ResultFormat.JSON.format(
                FrameResult.error(file, FrameResult.LOCAL, "gone", Double.NaN))).getAsJsonObject();
        assertFalse(local.has("latency_ms"));
        assertEquals("LOCAL", local.getAsJsonObject("error").get("code").getAsString());
    }

    @Test
    void csv() {
        assertEquals("file,frame_id,decision,score,normalized_score,latency_ms,model,error_code,"
                + "error_message", ResultFormat.CSV.header());
        assertEquals("\"in/a,b.png\",\"a,b.png\",NG,0.712346,2.500000,12.346,bottle,,",
                ResultFormat.CSV.format(ng));
        assertEquals("\"in/a,b.png\",\"a,b.png\",ERROR,,,1.000,,INVALID_ARGUMENT,"
                + "\"cannot \"\"decode\"\" the frame\"", ResultFormat.CSV.format(err));
    }
}

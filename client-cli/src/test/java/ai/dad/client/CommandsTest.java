package ai.dad.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.client.testing.FakeService;
import ai.dad.client.testing.TestImages;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line end to end against the in-process test double of the service. */
@Timeout(60)
class CommandsTest {

    @TempDir
    Path tmp;

    private FakeService service;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        service = new FakeService();
    }

    @AfterEach
    void stop() throws Exception {
        service.close();
    }

    private int run(String... args) {
        return DadClient.execute(service.channels(), new PrintWriter(out), new PrintWriter(err),
                args);
    }

    @Test
    void streamWritesLinesOverlaysAndSummaryJson() throws Exception {
        TestImages.folder(tmp.resolve("in"));
        Path outDir = tmp.resolve("out");
        int code = run("stream", tmp.resolve("in").toString(), "--out", outDir.toString(),
                "--format", "csv", "--concurrency", "8", "--no-progress");

        assertEquals(2, code, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(201, lines.size());
        assertTrue(lines.get(0).startsWith("file,frame_id,decision"));
        assertEquals(5, lines.stream().filter(l -> l.contains(",ERROR,")).count());

        JsonObject s = JsonParser.parseString(Files.readString(outDir.resolve("summary.json")))
                .getAsJsonObject();
        assertEquals(200, s.get("total").getAsInt());
        assertEquals(200, s.get("frames").getAsInt());
        assertEquals(5, s.get("errors").getAsInt());
        assertEquals(s.get("ng").getAsInt(), s.get("overlays").getAsInt());
        assertEquals(0, s.get("skipped").getAsInt());
        assertEquals(2, s.get("exit_code").getAsInt());
        assertEquals("ng", s.get("maps").getAsString());
        assertTrue(s.get("p99_ms").getAsDouble() >= s.get("p50_ms").getAsDouble());
        assertTrue(s.get("throughput_fps").getAsDouble() > 0);
        assertTrue(err.toString().contains("frames 200 of 200"), err.toString());
    }

    @Test
    void failOnNgExitsOneOnlyWhenAsked() throws Exception {
        Path in = tmp.resolve("in");
        TestImages.write(in.resolve("ok.png"), 0.2);
        TestImages.write(in.resolve("ng.bmp"), 0.8);
        assertEquals(0, run("stream", in.toString(), "--no-progress"));
        assertEquals(1, run("stream", in.toString(), "--no-progress", "--fail-on-ng"));
        assertTrue(!Files.exists(tmp.resolve("summary.json")));

        out.getBuffer().setLength(0);
        assertEquals(0, run("stream", in.toString(), "--no-progress", "--format", "json"));
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size());
        assertEquals("NG", JsonParser.parseString(lines.get(0)).getAsJsonObject()
                .get("decision").getAsString());
        assertEquals("ng.bmp", JsonParser.parseString(lines.get(0)).getAsJsonObject()
                .get("frame_id").getAsString());
    }

    @Test
    void streamWithoutImagesFails() {
        assertEquals(2, run("stream", tmp.toString(), "--no-progress"));
        assertTrue(err.toString().contains("no png"));
    }

    @Test
    void inspectPrintsTheVerdictAndWritesTheMap() throws Exception {
        Path img = TestImages.write(tmp.resolve("x.png"), 0.8);
        Path map = tmp.resolve("map.png");
        Path overlay = tmp.resolve("overlay.png");
        int code = run("inspect", img.toString(), "--model", "bottle", "--map", map.toString(),
                "--overlay", overlay.toString());
        assertEquals(0, code, err.toString());
        JsonObject v = JsonParser.parseString(out.toString()).getAsJsonObject();
        assertEquals("x.png", v.get("frame_id").getAsString());
        assertEquals("NG", v.get("decision").getAsString());
        assertEquals("bottle", v.get("model").getAsString());
        assertEquals(0.8, v.get("score").getAsDouble(), 0.01);
        assertTrue(Files.size(map) > 0);
        assertEquals(16, javax.imageio.ImageIO.read(overlay.toFile()).getWidth());
    }

    @Test
    void inspectReportsTheStatusOfAFailedCall() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.png"), "text");
        assertEquals(2, run("inspect", bad.toString()));
        assertTrue(err.toString().contains("INVALID_ARGUMENT"), err.toString());
    }

    @Test
    void modelsTable() {
        assertEquals(0, run("models"));
        List<String> lines = out.toString().lines().toList();
        assertEquals(3, lines.size());
        assertEquals(List.of("ID", "VERSION", "PRESET", "SIZE", "MODE", "THRESHOLD", "DEFAULT", "STATE"),
                Arrays.asList(lines.get(0).split("\\s+")));
        assertEquals(List.of("bottle", "2026-11-28", "small", "128", "norm-guided", "0.4200", "*", "-"),
                Arrays.asList(lines.get(1).split("\\s+")));
        assertEquals(List.of("screw", "1", "tiny", "64", "one-step", "uncalibrated", "-"),
                Arrays.asList(lines.get(2).split("\\s+")));
    }

    @Test
    void healthExitsZeroOnlyWhenServing() {
        assertEquals(0, run("health"));
        assertEquals("SERVING", out.toString().trim());

        service.health.setStatus("dad.v1.Inspector", ServingStatus.NOT_SERVING);
        out.getBuffer().setLength(0);
        assertEquals(1, run("health", "--service", "dad.v1.Inspector"));
        assertEquals("NOT_SERVING", out.toString().trim());

        out.getBuffer().setLength(0);
        assertEquals(1, run("health", "--service", "no.such.Service"));
        assertEquals("SERVICE_UNKNOWN", out.toString().trim());
    }

    @Test
    void unreachableServiceIsAnError() {
        int code = DadClient.execute(ChannelFactory.PLAINTEXT, new PrintWriter(out),
                new PrintWriter(err), "health", "--target", "127.0.0.1:1", "--deadline-ms", "2000");
        assertEquals(2, code);
        assertEquals("UNAVAILABLE", out.toString().trim());
    }

    @Test
    void thresholdIsSentAsTheOverride() throws Exception {
        TestImages.write(tmp.resolve("in/dim.png"), 0.3);
        TestImages.write(tmp.resolve("in/dark.png"), 0.1);
        int code = run("stream", tmp.resolve("in").toString(), "--threshold", "0.2", "--fail-on-ng",
                "--no-progress", "--format", "csv");
        assertEquals(1, code, err.toString());
        assertTrue(service.inspector.seen().stream().allMatch(s -> s.thresholdOverride() == 0.2));
        assertTrue(out.toString().contains(",dim.png,NG,"), out.toString());
        assertTrue(out.toString().contains(",dark.png,OK,"), out.toString());
        assertEquals(2, run("stream", tmp.resolve("in").toString(), "--threshold", "0"));
    }

    @Test
    void bearerTokenFromTheOptionOrTheFile() throws Exception {
        assertEquals(0, run("models", "--token", "abc123"));
        Path file = Files.writeString(tmp.resolve("token"), "# station 3\nfile-token\n");
        assertEquals(0, run("models", "--token-file", file.toString()));
        assertEquals(List.of("Bearer abc123", "Bearer file-token"), service.authorization);
        assertTrue(err.toString().contains("without TLS"), err.toString());
        assertEquals(2, run("models", "--token", "a", "--token-file", file.toString()));
    }

    @Test
    void unaryCallsAreRetriedOnUnavailable() {
        service.inspector.failUnary(2);
        assertEquals(0, run("models", "--retries", "2"), err.toString());
        assertTrue(err.toString().contains("retry 2 of 2"), err.toString());
        service.inspector.failUnary(3);
        assertEquals(2, run("models", "--retries", "2"));
        assertTrue(err.toString().contains("UNAVAILABLE: double is down"), err.toString());
    }

    @Test
    void watchWithIdleExitInspectsEveryFileOnce() throws Exception {
        TestImages.write(tmp.resolve("in/a.png"), 0.1);
        TestImages.write(tmp.resolve("in/b.png"), 0.9);
        Path outDir = tmp.resolve("out");
        int code = run("stream", "--watch", tmp.resolve("in").toString(), "--poll-ms", "20",
                "--settle-ms", "100", "--idle-exit-ms", "500", "--no-progress", "--out",
                outDir.toString());
        assertEquals(0, code, err.toString());
        assertEquals(2, out.toString().lines().count(), out.toString());
        JsonObject summary = JsonParser.parseString(Files.readString(outDir.resolve("summary.json")))
                .getAsJsonObject();
        assertTrue(summary.get("watch").getAsBoolean());
        assertEquals(2, summary.get("frames").getAsInt());
        assertEquals(1, summary.get("overlays").getAsInt());
        assertEquals(2, run("stream", tmp.resolve("in").toString(), "--idle-exit-ms", "5"),
                "--idle-exit-ms needs --watch");
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run());
        assertEquals(2, run("stream"));
        assertEquals(2, run("stream", "x", "--maps", "some"));
        assertEquals(0, run("stream", "--help"));
    }
}

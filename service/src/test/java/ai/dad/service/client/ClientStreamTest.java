package ai.dad.service.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.quarkus.test.junit.QuarkusTest;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code dad-client stream}, {@code inspect}, {@code models} and {@code health} as shipped, against
 * the real service on the built-in demo model: a folder of 30 washers with three bad files mixed
 * in (text named .png, an empty .jpg, a dangling link), every file accounted for exactly once,
 * overlays for NG frames only, exit codes, {@code --threshold}, {@code dns:///} targets, retries.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientStreamTest {

    private Path frames;
    private Set<String> images;
    private Set<String> bad;

    @BeforeAll
    void setUp() throws Exception {
        ClientRuns.awaitServing();
        frames = ClientRuns.freshDir("stream");
        images = new HashSet<>();
        for (Path p : DemoFrames.write(frames, 20, 10, 3)) {
            images.add(p.toString());
        }
        Path badDir = frames.resolve("bad");
        Files.createDirectories(badDir);
        Files.writeString(badDir.resolve("text.png"), "this is not a PNG");
        Files.write(badDir.resolve("empty.jpg"), new byte[0]);
        Files.createSymbolicLink(badDir.resolve("dangling.png"), badDir.resolve("missing.png"));
        Files.writeString(frames.resolve("notes.txt"), "not a frame: ignored");
        bad = Set.of(badDir.resolve("text.png").toString(), badDir.resolve("empty.jpg").toString(),
                badDir.resolve("dangling.png").toString());
    }

    @Test
    void everyFileOnceOverlaysForNgOnlyAndASummary() throws Exception {
        // First pass: the scores, to pick a threshold that makes about half the frames NG.
        ClientRuns.Result first = ClientRuns.run("stream", frames.toString(), "--target", ClientRuns.target(),
                "--format", "json", "--no-progress");
        assertEquals(2, first.code(), first.toString());
        List<Double> scores = first.json().stream().filter(o -> o.has("score"))
                .map(o -> o.get("score").getAsDouble()).sorted().toList();
        assertEquals(30, scores.size(), first.toString());
        double threshold = (scores.get(14) + scores.get(15)) / 2;
        assertTrue(threshold > 0 && scores.get(15) - scores.get(14) > 1e-5, "scores " + scores);

        Path out = ClientRuns.freshDir("stream-out");
        ClientRuns.Result r = ClientRuns.run("stream", frames.toString(), "--target", ClientRuns.target(),
                "--out", out.toString(), "--format", "json", "--no-progress", "--concurrency", "4",
                "--threshold", Double.toString(threshold));
        assertEquals(2, r.code(), "errors win over NG: " + r);

        List<JsonObject> lines = r.json();
        assertEquals(33, lines.size(), r.toString());
        Map<String, JsonObject> byFile = new HashMap<>();
        for (JsonObject o : lines) {
            assertTrue(byFile.put(o.get("file").getAsString(), o) == null, "twice: " + o);
        }
        Set<String> all = new HashSet<>(images);
        all.addAll(bad);
        assertEquals(all, byFile.keySet());

        Set<String> ngStems = new HashSet<>();
        for (String file : images) {
            JsonObject o = byFile.get(file);
            String decision = o.get("decision").getAsString();
            double score = o.get("score").getAsDouble();
            // Lines carry 6 decimals; the threshold lies halfway between two scores.
            assertEquals(threshold, o.get("threshold").getAsDouble(), 1e-6, "the override decides: " + o);
            assertEquals(score >= threshold ? "NG" : "OK", decision, o.toString());
            if (decision.equals("NG")) {
                String id = o.get("frame_id").getAsString();
                ngStems.add(id.substring(0, id.lastIndexOf('.')));
            }
        }
        assertEquals(15, ngStems.size());
        assertEquals("INVALID_ARGUMENT", error(byFile, "text.png"));
        assertEquals("INVALID_ARGUMENT", error(byFile, "empty.jpg"));
        assertEquals("LOCAL", error(byFile, "dangling.png"));

        assertEquals(ngStems, written(out, "_overlay.png"), "overlays for the NG frames only");
        assertEquals(ngStems, written(out, "_mask.png"));

        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertEquals(33, summary.get("total").getAsInt());
        assertEquals(33, summary.get("frames").getAsInt());
        assertEquals(15, summary.get("ok").getAsInt());
        assertEquals(15, summary.get("ng").getAsInt());
        assertEquals(3, summary.get("errors").getAsInt());
        assertEquals(0, summary.get("skipped").getAsInt());
        assertEquals(15, summary.get("overlays").getAsInt());
        assertEquals(0, summary.get("overlay_errors").getAsInt());
        assertEquals(threshold, summary.get("threshold").getAsDouble(), 0.0);
        assertEquals(2, summary.get("exit_code").getAsInt());
        assertTrue(summary.get("stream_error").isJsonNull());
    }

    @Test
    void exitCodes() {
        String good = frames.resolve("good").toString();
        String defect = frames.resolve("defect").toString();
        String t = ClientRuns.target();
        ClientRuns.Result allNg = ClientRuns.run("stream", good, defect, "--target", t, "--threshold", "1e-9",
                "--fail-on-ng", "--no-progress");
        assertEquals(1, allNg.code(), allNg.toString());
        assertTrue(allNg.err().contains("ng 30"), allNg.err());
        assertEquals(0, ClientRuns.run("stream", good, defect, "--target", t, "--threshold", "1e-9",
                "--no-progress").code());
        ClientRuns.Result allOk = ClientRuns.run("stream", good, defect, "--target", t, "--threshold", "1.5",
                "--fail-on-ng", "--no-progress");
        assertEquals(0, allOk.code(), allOk.toString());
        assertTrue(allOk.err().contains("ok 30"), allOk.err());
        assertEquals(2, ClientRuns.run("stream", frames.toString(), "--target", t, "--threshold", "1e-9",
                "--fail-on-ng", "--no-progress").code(), "errors win over NG");
        assertEquals(2, ClientRuns.run("stream", good, "--target", t, "--threshold", "-1").code());
    }

    @Test
    void inspectModelsAndHealthOverADnsTarget() {
        String dns = "dns:///localhost:" + ClientRuns.port();
        ClientRuns.Result health = ClientRuns.run("health", "--target", dns);
        assertEquals(0, health.code(), health.toString());
        assertEquals("SERVING", health.out().trim());
        ClientRuns.Result models = ClientRuns.run("models", "--target", dns);
        assertEquals(0, models.code(), models.toString());
        assertTrue(models.lines().get(1).startsWith("demo "), models.out());
        String file = images.iterator().next();
        ClientRuns.Result inspect = ClientRuns.run("inspect", file, "--target", dns, "--threshold", "1e-9",
                "--deadline-ms", "60000");
        assertEquals(0, inspect.code(), inspect.toString());
        JsonObject v = JsonParser.parseString(inspect.out()).getAsJsonObject();
        assertEquals("NG", v.get("decision").getAsString());
        assertEquals(1e-9, v.get("threshold").getAsDouble(), 0.0);
    }

    @Test
    void unavailableIsRetriedWithBackOffThenReported() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        ClientRuns.Result r = ClientRuns.run("models", "--target", "localhost:" + closed, "--retries", "2",
                "--deadline-ms", "5000");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("retry 1 of 2") && r.err().contains("retry 2 of 2"), r.err());
        assertTrue(r.err().contains("UNAVAILABLE"), r.err());
        assertTrue(seconds >= 0.8 * (0.25 + 0.5), "waited " + seconds + " s");

        ClientRuns.Result stream = ClientRuns.run("stream", frames.resolve("good").toString(), "--target",
                "localhost:" + closed, "--retries", "1", "--no-progress");
        assertEquals(2, stream.code(), stream.toString());
        assertTrue(stream.err().contains("reopening in") && stream.err().contains("retry 1 of 1"), stream.err());
        assertTrue(stream.err().contains("stream failed: UNAVAILABLE"), stream.err());
    }

    private static String error(Map<String, JsonObject> byFile, String name) {
        return byFile.entrySet().stream().filter(e -> e.getKey().endsWith("/" + name)).findFirst().orElseThrow()
                .getValue().getAsJsonObject("error").get("code").getAsString();
    }

    /** Frame stems (relative, without extension) of the files under {@code out} ending in {@code suffix}. */
    private static Set<String> written(Path out, String suffix) throws Exception {
        try (Stream<Path> walk = Files.walk(out)) {
            List<Path> files = walk.filter(p -> p.getFileName().toString().endsWith(suffix)).toList();
            return new ArrayList<>(files).stream().map(p -> {
                String rel = out.relativize(p).toString();
                return rel.substring(0, rel.length() - suffix.length());
            }).collect(Collectors.toSet());
        }
    }
}

package ai.dad.service.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.client.ChannelFactory;
import ai.dad.client.DadClient;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.quarkus.test.junit.QuarkusTest;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code dad-client stream --watch} against the real service: the files present at the start are
 * inspected first, files dropped while it runs are inspected once each, and a file written in
 * two halves with a pause longer than the poll interval but shorter than the settle time is read
 * only once it is complete (its first half alone does not decode, so an early read would show
 * as an error line, and the complete file would then be a second line).
 */
@QuarkusTest
class ClientWatchTest {

    @Test
    void inspectsPresentThenDroppedFilesAndNeverAHalfWrittenOne() throws Exception {
        ClientRuns.awaitServing();
        Path drop = ClientRuns.freshDir("watch");
        Path out = ClientRuns.freshDir("watch-out");
        List<Path> present = DemoFrames.write(drop, 2, 1, 11);

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> DadClient.execute(
                ChannelFactory.PLAINTEXT, new PrintWriter(stdout), new PrintWriter(stderr),
                "stream", "--watch", drop.toString(), "--target", ClientRuns.target(),
                "--poll-ms", "100", "--settle-ms", "2000", "--idle-exit-ms", "8000",
                "--format", "json", "--no-progress", "--out", out.toString()));

        awaitLines(stdout, 3, run, stderr);
        List<Path> dropped = new ArrayList<>(DemoFrames.write(drop.resolve("later"), 3, 1, 12));
        Path slow = drop.resolve("slow.png");
        byte[] png = DemoFrames.goodPng(13);
        try (OutputStream o = Files.newOutputStream(slow)) {
            o.write(png, 0, png.length / 2);
            o.flush();
            Thread.sleep(400); // > --poll-ms, < --settle-ms
            o.write(png, png.length / 2, png.length - png.length / 2);
        }
        dropped.add(slow);

        int code = run.get(3, TimeUnit.MINUTES);
        assertEquals(0, code, stdout + "\n" + stderr);
        List<JsonObject> lines = stdout.toString().lines().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertEquals(present.size() + dropped.size(), lines.size(), stdout.toString());
        Set<String> first = new HashSet<>();
        for (JsonObject o : lines.subList(0, present.size())) {
            first.add(o.get("file").getAsString());
        }
        assertEquals(asStrings(present), first, "the files present at the start come first");
        Set<String> rest = new HashSet<>();
        for (JsonObject o : lines.subList(present.size(), lines.size())) {
            assertTrue(rest.add(o.get("file").getAsString()), "inspected twice: " + o);
            assertFalse(o.has("error"), "judged: " + o);
        }
        assertEquals(asStrings(dropped), rest);

        JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
        assertTrue(summary.get("watch").getAsBoolean());
        assertEquals(lines.size(), summary.get("total").getAsInt());
        assertEquals(lines.size(), summary.get("frames").getAsInt());
        assertEquals(0, summary.get("errors").getAsInt());
        assertFalse(summary.get("interrupted").getAsBoolean());
        assertTrue(stderr.toString().contains("watching"), stderr.toString());
    }

    private static void awaitLines(StringWriter stdout, int n, CompletableFuture<Integer> run, StringWriter stderr)
            throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (stdout.toString().lines().count() < n) {
            if (run.isDone() || System.nanoTime() > until) {
                throw new AssertionError("no " + n + " lines: " + stdout + "\n" + stderr);
            }
            Thread.sleep(50);
        }
    }

    private static Set<String> asStrings(List<Path> paths) {
        Set<String> s = new HashSet<>();
        paths.forEach(p -> s.add(p.toString()));
        return s;
    }
}

package ai.dad.toolkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code dad info} in-process: one JSON object on stdout, usage errors on stderr with exit code 2. */
class InfoCommandTest {

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new DadCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void tinyPresetPrintsExactParameterCounts() {
        Run r = run("info", "--preset", "tiny");
        assertEquals(0, r.exitCode(), r.err());
        JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("tiny", json.get("preset").getAsString());
        assertEquals(64, json.get("image_size").getAsInt());
        assertEquals(5_806_499L, json.get("unet_params").getAsLong());
        assertEquals(28_373_569L, json.get("seg_params").getAsLong());
        JsonObject arch = json.getAsJsonObject("architecture");
        assertEquals(32, arch.get("unet_base").getAsInt());
        assertEquals("[1,2,3,4]", arch.get("channel_mults").toString());
        assertEquals("PyTorch", json.get("engine").getAsString());
        assertTrue(json.get("device").getAsString().matches("cpu|gpu[0-9]+"), r.out());
    }

    @Test
    void helpListsDemoAndEveryPresetOption() {
        Run r = run("--help");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("  demo "), r.out());
        assertTrue(r.out().contains("Exit codes"), r.out());
        for (String[] command : new String[][] {{"info"}, {"train"}, {"bench", "stages"}, {"bench", "memory"}, {"bench", "serve"}}) {
            String[] args = java.util.Arrays.copyOf(command, command.length + 1);
            args[command.length] = "--help";
            Run help = run(args);
            for (String preset : ai.dad.djl.Presets.NAMES) {
                assertTrue(help.out().contains(preset), String.join(" ", command) + " --help names " + preset + ": " + help.out());
            }
        }
    }

    @Test
    void unknownPresetIsAUsageErrorThatNamesIt() {
        Run r = run("info", "--preset", "nope");
        assertEquals(2, r.exitCode());
        assertEquals("", r.out());
        assertTrue(r.err().contains("unknown preset 'nope'"), r.err());
        assertTrue(r.err().contains("tiny"), "lists the presets: " + r.err());
    }

    @Test
    void noSubcommandShowsUsageAndExits2() {
        Run r = run();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("info"), r.err());
    }
}

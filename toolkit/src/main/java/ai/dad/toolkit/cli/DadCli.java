package ai.dad.toolkit.cli;

import ai.dad.djl.Offline;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dad}: the command line of the DJL backend. Each subcommand is its own small class,
 * registered in {@code subcommands} below. Run through {@code bin/dad}, which sets up the class
 * path and keeps DJL offline.
 *
 * <p>Exit codes: 0 success, 1 a failure while running, 2 a usage error (bad option or value).
 */
@Command(
        name = "dad",
        mixinStandardHelpOptions = true,
        versionProvider = DadCli.Version.class,
        description = "DiffusionAD anomaly inspection: networks, training and evaluation on DJL + PyTorch.",
        // demo is a script (bin/dad-demo) that bin/dad runs before Java starts, so picocli lists it here.
        footer = {"",
            "Also, through bin/dad:",
            "  demo       The service on the built-in model, fed by dad-client.",
            "",
            "Exit codes: 0 done, 1 a failure while running (one line on stderr;",
            "JAVA_OPTS=-Ddad.stacktrace=true adds the stack trace), 2 a usage error."},
        subcommands = {InfoCommand.class, TrainCommand.class, EvalCommand.class, CalibrateCommand.class, ImportCommand.class, SynthCommand.class, DemoDataCommand.class, BenchCommand.class})
public final class DadCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** Without a subcommand there is nothing to do: show what there is. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    public static void main(String[] args) {
        Offline.enforce();
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line with the process-level error handling: a failure in a subcommand is one
     * line on stderr and exit code 1 (set {@code -Ddad.stacktrace=true} for the stack trace).
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DadCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getCommandName() + ": error: " + describe(e));
            if (Boolean.getBoolean("dad.stacktrace")) {
                e.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        return cl;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    /** The version of this jar: its manifest, else the pom.properties Maven puts in it. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dad " + version()};
        }

        static String version() {
            String v = DadCli.class.getPackage().getImplementationVersion();
            if (v != null) {
                return v;
            }
            try (InputStream in = DadCli.class.getResourceAsStream(
                    "/META-INF/maven/ai.dad/dad-toolkit/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    return p.getProperty("version", "unknown");
                }
            } catch (IOException e) {
                // fall through: not packaged
            }
            return "unknown (not packaged)";
        }
    }
}

package ai.dad.client;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dad-client}: the command-line client of the inspection service ({@code dad.v1.Inspector}
 * and {@code grpc.health.v1.Health}). {@link #main} runs it and exits; {@link #execute} runs it
 * without exiting, with any channel factory and output, for tests and embedding.
 */
@Command(name = "dad-client", mixinStandardHelpOptions = true, version = "dad-client 0.1.0",
        description = "Client of the DiffusionAD inspection service.",
        subcommands = {StreamCommand.class, InspectCommand.class, ModelsCommand.class,
            HealthCommand.class, ServiceEvalCommand.class, HelpCommand.class})
public final class DadClient implements Callable<Integer> {

    /** Exit code of failed commands (errors, usage errors, unreachable service). */
    public static final int EXIT_ERROR = 2;

    private final ChannelFactory channels;

    @Spec
    CommandSpec spec;

    /** A client that talks over the network. */
    public DadClient() {
        this(ChannelFactory.NETWORK);
    }

    /** A client whose commands open their channels with the given factory. */
    public DadClient(ChannelFactory channels) {
        this.channels = Objects.requireNonNull(channels, "channels");
    }

    ChannelFactory channels() {
        return channels;
    }

    /** Without a subcommand: the usage, and a failure. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return EXIT_ERROR;
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(ChannelFactory.NETWORK, out, err, args));
    }

    /**
     * Runs the command line without exiting.
     *
     * @param channels opens the channel to {@code --target}
     * @param out where results go (stdout)
     * @param err where the summary, progress, warnings and errors go (stderr)
     * @return the exit code (see {@code docs/CLIENT.md})
     */
    public static int execute(ChannelFactory channels, PrintWriter out, PrintWriter err,
                              String... args) {
        CommandLine cl = new CommandLine(new DadClient(channels))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    line.getErr().println("dad-client: " + describe(e));
                    return EXIT_ERROR;
                });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static String describe(Throwable e) {
        if (e instanceof io.grpc.StatusRuntimeException s) {
            String d = s.getStatus().getDescription();
            return s.getStatus().getCode() + (d == null ? "" : ": " + d);
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}

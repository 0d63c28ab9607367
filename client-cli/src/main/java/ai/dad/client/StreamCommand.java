package ai.dad.client;

import ai.dad.client.stream.FrameFile;
import ai.dad.client.stream.FrameResult;
import ai.dad.client.stream.FrameWalker;
import ai.dad.client.stream.MapsMode;
import ai.dad.client.stream.ProgressBar;
import ai.dad.client.stream.ResultFormat;
import ai.dad.client.stream.StreamConfig;
import ai.dad.client.stream.StreamRunner;
import ai.dad.client.stream.StreamSummary;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dad-client stream}: sends image files over one flow-controlled InspectStream call and
 * prints a line per frame, a summary on stderr and, with {@code --out}, overlays, masks and
 * {@code summary.json}. The work is done by {@link StreamRunner}; this class wires the options,
 * the output, the progress bar and Ctrl-C (a shutdown hook that stops sending and waits for the
 * frames in flight before the summary is printed).
 */
@Command(name = "stream", sortOptions = false,
        description = "Inspect image files (folders recursively) over one stream.",
        footer = {"", "Exit codes: 0 done, 1 NG found with --fail-on-ng, 2 errors "
                + "(errors win over NG); Ctrl-C: 130 after the summary."})
public final class StreamCommand implements Callable<Integer> {

    /** Name of the summary file written in {@code --out}. */
    public static final String SUMMARY_FILE = "summary.json";

    @ParentCommand
    DadClient client;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "Image files or folders (png, jpg, jpeg, bmp).")
    List<Path> paths;

    @Option(names = "--model", paramLabel = "ID", defaultValue = "",
            description = "Model id (default: the service's default model).")
    String model;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write <name>_overlay.png, <name>_mask.png and summary.json here.")
    Path out;

    @Option(names = "--maps", paramLabel = "ng|all|none", defaultValue = "ng",
            description = "Frames that get an overlay and mask with --out (default: ${DEFAULT-VALUE}).")
    MapsMode maps;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Frames in flight, sent but unanswered (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--format", paramLabel = "text|json|csv", defaultValue = "text",
            description = "Result lines on stdout (default: ${DEFAULT-VALUE}).")
    ResultFormat format;

    @Option(names = "--max-frame-bytes", paramLabel = "N",
            description = "Larger files are errors and are not sent, since one request over the "
                    + "service's limit would fail the whole stream (default: 32 MiB - 4 KiB, "
                    + "the service's default limit).")
    Long maxFrameBytes;

    @Option(names = "--fail-on-ng", description = "Exit with 1 when a frame is NG.")
    boolean failOnNg;

    @Option(names = "--no-progress",
            description = "No progress bar (it is shown only when stderr is a terminal).")
    boolean noProgress;

    /** The progress bar while one is shown, so that warnings clear it first. */
    private volatile ProgressBar bar;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (concurrency < 1) {
            stderr.println("dad-client: --concurrency must be at least 1");
            return DadClient.EXIT_ERROR;
        }
        List<FrameFile> frames = FrameWalker.walk(paths);
        if (frames.isEmpty()) {
            stderr.println("dad-client: no png, jpg, jpeg or bmp files in " + paths);
            return DadClient.EXIT_ERROR;
        }
        if (maxFrameBytes != null && maxFrameBytes < 1) {
            stderr.println("dad-client: --max-frame-bytes must be positive");
            return DadClient.EXIT_ERROR;
        }
        StreamConfig config = StreamConfig.DEFAULTS.withModel(model).withOut(out, maps)
                .withConcurrency(concurrency).withDeadline(target.deadline(null))
                .withMaxFrameBytes(maxFrameBytes != null ? maxFrameBytes
                        : StreamConfig.DEFAULTS.maxFrameBytes());
        Consumer<String> warn = line -> {
            Runnable print = () -> {
                stderr.println("dad-client: " + line);
                stderr.flush();
            };
            ProgressBar b = bar;
            if (b != null) {
                b.around(print);
            } else {
                print.run();
            }
        };

        ManagedChannel channel = target.open(client);
        StreamRunner runner = new StreamRunner(channel, config, warn);
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            runner.stop();
            try {
                reported.await(config.drainTimeout().toSeconds() + 20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "dad-client-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            StreamSummary summary = stream(frames, runner, config, stdout, stderr);
            int code = summary.exitCode(failOnNg);
            stderr.print(summary.toText());
            stderr.flush();
            if (out != null && !saveSummary(summary, code, config, warn)) {
                code = DadClient.EXIT_ERROR;
            }
            return code;
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and lets the JVM exit once we are done.
            }
            TargetOptions.close(channel);
        }
    }

    private StreamSummary stream(List<FrameFile> frames, StreamRunner runner,
                                 StreamConfig config, PrintWriter stdout, PrintWriter stderr)
            throws InterruptedException {
        String header = format.header();
        if (header != null) {
            stdout.println(header);
        }
        ProgressBar bar = !noProgress && ProgressBar.stderrIsTerminal()
                ? new ProgressBar(stderr, runner.stats(), frames.size()) : null;
        this.bar = bar;
        Consumer<FrameResult> sink = r -> {
            String line = format.format(r);
            if (bar == null) {
                stdout.println(line);
            } else {
                bar.around(() -> {
                    stdout.println(line);
                    stdout.flush();
                });
            }
        };
        try {
            return runner.run(frames, sink);
        } finally {
            stdout.flush();
            if (bar != null) {
                this.bar = null;
                bar.close();
            }
        }
    }

    private boolean saveSummary(StreamSummary summary, int code, StreamConfig config,
                                Consumer<String> warn) {
        JsonObject json = new JsonObject();
        json.addProperty("target", target.target);
        json.addProperty("model", config.model());
        json.addProperty("concurrency", config.concurrency());
        json.addProperty("maps", config.maps().name().toLowerCase(java.util.Locale.ROOT));
        summary.toJson().entrySet().forEach(e -> json.add(e.getKey(), e.getValue()));
        json.addProperty("exit_code", code);
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve(SUMMARY_FILE),
                    new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json) + "\n",
                    StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            warn.accept("cannot write " + out.resolve(SUMMARY_FILE) + ": " + e.getMessage());
            return false;
        }
    }
}

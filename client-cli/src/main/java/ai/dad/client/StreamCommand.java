package ai.dad.client;

import ai.dad.client.net.Connection;
import ai.dad.client.stream.FolderWatcher;
import ai.dad.client.stream.FrameFile;
import ai.dad.client.stream.FrameResult;
import ai.dad.client.stream.FrameSource;
import ai.dad.client.stream.FrameWalker;
import ai.dad.client.stream.MapsMode;
import ai.dad.client.stream.ProgressBar;
import ai.dad.client.stream.ResultFormat;
import ai.dad.client.stream.StreamConfig;
import ai.dad.client.stream.StreamRunner;
import ai.dad.client.stream.StreamSummary;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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
 * {@code summary.json}. With {@code --watch} it keeps inspecting files as they appear
 * ({@link FolderWatcher}) until Ctrl-C. The work is done by {@link StreamRunner}; this class wires
 * the options, the output, the progress bar and Ctrl-C (a shutdown hook that stops sending and
 * waits for the frames in flight before the summary is printed).
 */
@Command(name = "stream", sortOptions = false,
        description = "Inspect image files (folders recursively) over one stream; with --watch, "
                + "keep inspecting new files as they appear.",
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

    @Option(names = "--threshold", paramLabel = "X",
            description = "Decide OK/NG with this threshold on the raw score instead of the "
                    + "model's (sent as threshold_override; > 0).")
    Double threshold;

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

    @Option(names = "--watch",
            description = "Keep running: inspect the files present, then every new file that "
                    + "appears under the PATHs once it is complete, until Ctrl-C.")
    boolean watch;

    @Option(names = "--poll-ms", paramLabel = "N", defaultValue = "250",
            description = "--watch: time between two looks at the folders (default: ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--settle-ms", paramLabel = "N", defaultValue = "500",
            description = "--watch: a file is taken once its size and modification time have not "
                    + "changed for this long and it can be opened (default: ${DEFAULT-VALUE}).")
    long settleMs;

    @Option(names = "--idle-exit-ms", paramLabel = "N",
            description = "--watch: end normally once no file appeared or changed for this long "
                    + "(default: run until Ctrl-C).")
    Long idleExitMs;

    /** The progress bar while one is shown, so that warnings clear it first. */
    private volatile ProgressBar bar;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        String invalid = invalidOptions();
        if (invalid != null) {
            stderr.println("dad-client: " + invalid);
            return DadClient.EXIT_ERROR;
        }
        Consumer<String> warn = line -> {
            Runnable print = () -> {
                synchronized (stderr) {
                    stderr.println("dad-client: " + line);
                    stderr.flush();
                }
            };
            ProgressBar b = bar;
            if (b != null) {
                b.around(print);
            } else {
                print.run();
            }
        };
        FrameSource source;
        if (watch) {
            source = new FolderWatcher(paths, FolderWatcher.Settings.of(Duration.ofMillis(pollMs),
                    Duration.ofMillis(settleMs),
                    idleExitMs == null ? null : Duration.ofMillis(idleExitMs)), warn);
            warn.accept(String.format(Locale.ROOT, "watching %s (poll %d ms, settle %d ms)%s",
                    paths, pollMs, settleMs, idleExitMs == null ? "; Ctrl-C to stop" : ""));
        } else {
            List<FrameFile> frames = FrameWalker.walk(paths);
            if (frames.isEmpty()) {
                stderr.println("dad-client: no png, jpg, jpeg or bmp files in " + paths);
                return DadClient.EXIT_ERROR;
            }
            source = FrameSource.of(frames);
        }
        StreamConfig config = StreamConfig.DEFAULTS.withModel(model).withOut(out, maps)
                .withConcurrency(concurrency).withDeadline(target.deadline(null))
                .withMaxFrameBytes(maxFrameBytes != null ? maxFrameBytes
                        : StreamConfig.DEFAULTS.maxFrameBytes())
                .withThresholdOverride(threshold == null ? 0 : threshold)
                .withBackoff(target.backoff());

        try (source; Connection conn = target.open(client, stderr)) {
            StreamRunner runner = new StreamRunner(conn.channel(), conn::reconnectNow, config, warn);
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
                StreamSummary summary = stream(source, runner, stdout, stderr);
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
            }
        }
    }

    /** What is wrong with the options, or null. */
    private String invalidOptions() {
        if (concurrency < 1) {
            return "--concurrency must be at least 1";
        }
        if (maxFrameBytes != null && maxFrameBytes < 1) {
            return "--max-frame-bytes must be positive";
        }
        if (threshold != null && !(threshold > 0 && Double.isFinite(threshold))) {
            return "--threshold must be a number > 0";
        }
        if (pollMs < 1 || settleMs < 0 || (idleExitMs != null && idleExitMs < 0)) {
            return "--poll-ms must be positive, --settle-ms and --idle-exit-ms not negative";
        }
        if (!watch && idleExitMs != null) {
            return "--idle-exit-ms goes with --watch";
        }
        return null;
    }

    private StreamSummary stream(FrameSource source, StreamRunner runner, PrintWriter stdout,
                                 PrintWriter stderr) throws InterruptedException {
        String header = format.header();
        if (header != null) {
            stdout.println(header);
        }
        ProgressBar bar = !noProgress && ProgressBar.stderrIsTerminal()
                ? new ProgressBar(stderr, runner.stats(), source::total) : null;
        this.bar = bar;
        Consumer<FrameResult> sink = r -> {
            String line = format.format(r);
            if (bar == null) {
                stdout.println(line);
                if (watch) {
                    stdout.flush();
                }
            } else {
                bar.around(() -> {
                    stdout.println(line);
                    stdout.flush();
                });
            }
        };
        try {
            return runner.run(source, sink);
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
        json.addProperty("maps", config.maps().name().toLowerCase(Locale.ROOT));
        json.addProperty("threshold", threshold);
        json.addProperty("watch", watch);
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

package ai.dad.toolkit.cli;

import ai.dad.djl.BlockNetworks;
import ai.dad.toolkit.Directories;
import ai.dad.djl.DjlBackendProvider;
import ai.dad.djl.Presets;
import ai.dad.imaging.Png;
import ai.dad.imaging.RgbImage;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.PixelBatch;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad bench serve}: images per second of a model in-process (the model only, in batches
 * as the service forms them) against the same model end to end: the packaged service started
 * as a process of its own and fed by the real client ({@code bin/dad-client stream}) from a
 * third process, once per concurrency. Everything it starts is stopped when it ends, also on
 * Ctrl-C or an error; its files live in a temporary folder (kept with {@code --keep}).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Images/s in-process vs end to end through the packaged gRPC service and dad-client.")
final class BenchServe implements Callable<Integer> {
    private static final String MODEL_ID = "bench";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", defaultValue = "small", description = "paper, small, tiny or demo (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,2,4,8",
            description = "Frames in flight of the client, one run each (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--frames", defaultValue = "32", description = "Frames per run (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--frame-size", description = "Side of the PNG frames sent (px; default: the model's image size).")
    Integer frameSize;

    @Option(names = "--tile", paramLabel = "PX", description = "Serve a model that cuts each frame into PX x PX tiles "
            + "(preprocess fit tiles, docs/TRAINING.md); speeds are then given per frame and per tile.")
    Integer tile;

    @Option(names = "--overlap", paramLabel = "PX", defaultValue = "0", description = "Overlap of neighbouring tiles (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--batch-max-size", defaultValue = "8", description = "dad.batch.max-size (default: ${DEFAULT-VALUE}).")
    int batchMaxSize;

    @Option(names = "--batch-max-delay-ms", defaultValue = "5", description = "dad.batch.max-delay (default: ${DEFAULT-VALUE}).")
    int batchMaxDelayMs;

    @Option(names = "--threshold", defaultValue = "0.5", description = "Threshold of the benchmark model (default: "
            + "${DEFAULT-VALUE}); 0 makes every frame NG, the worst case for the operator page's thumbnails.")
    double threshold;

    @Option(names = "--threads", description = "PyTorch intra-op threads, in-process and in the service "
            + "(default: PyTorch's, one per core).")
    Integer threads;

    @Option(names = "--device", description = "cpu, gpu or gpu:N, in-process and in the service (default: a GPU if there is one).")
    String device;

    @Option(names = "--root", description = "The project checkout (default: the one bin/dad runs from, -Ddad.home).")
    Path root;

    @Option(names = "--service-jar", description = "default: ROOT/service/target/quarkus-app/quarkus-run.jar")
    Path serviceJar;

    @Option(names = "--client", description = "default: ROOT/bin/dad-client")
    Path client;

    @Option(names = "--service-jvm-opt", description = "Extra JVM option of the service (repeatable).")
    List<String> serviceJvmOpts = new ArrayList<>();

    @Option(names = "--startup-timeout-s", defaultValue = "600")
    int startupTimeoutS;

    @Option(names = "--keep", description = "Keep the temporary folder (models, frames, logs, client summaries).")
    boolean keep;

    private final List<Process> children = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c < 1) || batchMaxSize < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--frames, --concurrency and --batch-max-size must be at least 1");
        }
        if (threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", threads.toString());
        }
        Path app = serviceJar != null ? serviceJar : checkout().resolve("service/target/quarkus-app/quarkus-run.jar");
        Path clientCmd = client != null ? client : checkout().resolve("bin/dad-client");
        if (!Files.isRegularFile(app)) {
            throw new IOException("no packaged service at " + app + " (build it: ./mvnw -B -DskipTests package -pl service -am)");
        }
        if (!Files.isExecutable(clientCmd)) {
            throw new IOException("no client at " + clientCmd);
        }
        ModelManifest manifest = Presets.manifest(preset);
        manifest.version = "bench";
        manifest.calibration.threshold = threshold;
        manifest.calibration.rule = "fixed " + threshold + " (dad bench serve, random weights)";
        int size = manifest.architecture.imageSize;
        int side = frameSize != null ? frameSize : size;
        if (tile != null) {
            manifest.preprocess.fit = "tiles";
            manifest.preprocess.tile = tile;
            manifest.preprocess.overlap = overlap;
            manifest.preprocess.frameSize = List.of(side, side);
        }
        PrintWriter err = spec.commandLine().getErr();

        Path work = Files.createTempDirectory("dad-bench-serve-");
        Thread hook = new Thread(this::stopChildren, "dad-bench-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Path modelDir = work.resolve("models").resolve(MODEL_ID);
            Path frameDir = work.resolve("frames");
            Path warmDir = work.resolve("warmup");
            writeModel(manifest, modelDir);
            List<Path> files = writeFrames(frameDir, frames, side, 1);
            int warmCount = Math.min(frames, 2 * concurrency.stream().mapToInt(Integer::intValue).max().orElse(1));
            writeFrames(warmDir, warmCount, side, 1_000_000);
            note(err, "model and %d frames of %d px in %s", frames, side, work);

            // 1. In-process: the model alone, batches of min(C, max size), as the batcher forms at best.
            Map<Integer, double[]> inProcess = new TreeMap<>();
            int tilesPerFrame;
            TreeSet<Integer> batches = new TreeSet<>();
            concurrency.forEach(c -> batches.add(Math.min(c, batchMaxSize)));
            String torchThreads;
            try (NDManager root = NDManager.newBaseManager("PyTorch")) {
                if (threads != null) {
                    JniUtils.setNumThreads(threads);
                }
                torchThreads = Integer.toString(JniUtils.getNumThreads());
                List<RgbImage> images = TrainCommand.modelInputs(files, manifest);
                tilesPerFrame = images.size() / files.size();
                Map<String, String> config = device == null ? Map.of() : Map.of("device", device);
                try (InspectionBackend backend = new DjlBackendProvider().open(modelDir, Plugins.fromClassPath(), config)) {
                    for (int b : batches) {
                        inProcess.put(b, inProcessRate(backend, images, size, b));
                        note(err, "in-process, batches of %d: %.3f model inputs/s", b, inProcess.get(b)[0]);
                    }
                }
            }

            // 2. The packaged service, fed by the real client from a process of its own.
            int grpcPort = freePort();
            int httpPort = freePort();
            Process service = startService(app, work, grpcPort, httpPort);
            long started = System.nanoTime();
            awaitReady(service, httpPort, work.resolve("service.log"));
            note(err, "service ready after %.1f s (gRPC :%d, HTTP :%d)", (System.nanoTime() - started) / 1e9, grpcPort, httpPort);
            int maxConcurrency = concurrency.stream().mapToInt(Integer::intValue).max().orElse(1);
            runClient(clientCmd, work, warmDir, grpcPort, maxConcurrency, "warmup");

            List<JsonObject> runs = new ArrayList<>();
            for (int c : concurrency) {
                double[] before = batchStats(httpPort);
                JsonObject summary = runClient(clientCmd, work, frameDir, grpcPort, c, "c" + c);
                double[] after = batchStats(httpPort);
                int b = Math.min(c, batchMaxSize);
                double[] in = inProcess.get(b);
                double inFrames = in[0] / tilesPerFrame;
                double served = number(summary, "throughput_fps");
                JsonObject run = new JsonObject();
                run.addProperty("concurrency", c);
                run.addProperty("inprocess_batch", b);
                double batchesRun = after[1] - before[1];
                double meanBatch = batchesRun > 0 ? (after[0] - before[0]) / batchesRun : Double.NaN;
                put(run, "inprocess_images_per_s", inFrames);
                put(run, "inprocess_tiles_per_s", in[0]);
                put(run, "inprocess_batch_ms_median", in[1]);
                put(run, "service_images_per_s", served);
                put(run, "service_tiles_per_s", served * tilesPerFrame);
                put(run, "service_over_inprocess", served / inFrames);
                put(run, "mean_batch_size", meanBatch);
                run.addProperty("server_batches", (long) batchesRun);
                put(run, "server_inference_ms_per_batch", batchesRun > 0 ? 1000 * (after[2] - before[2]) / batchesRun : Double.NaN);
                JsonObject latency = new JsonObject();
                put(latency, "p50", number(summary, "p50_ms"));
                put(latency, "p95", number(summary, "p95_ms"));
                put(latency, "p99", number(summary, "p99_ms"));
                run.add("latency_ms", latency);
                run.addProperty("frames", summary.has("frames") ? summary.get("frames").getAsInt() : -1);
                run.addProperty("errors", summary.has("errors") ? summary.get("errors").getAsInt() : -1);
                put(run, "client_wall_s", number(summary, "wall_s"));
                runs.add(run);
                note(err, "concurrency %d: %.3f frames/s through the service (%.3f of in-process), mean batch %.2f",
                        c, served, served / inFrames, meanBatch);
            }
            stop(service, Duration.ofSeconds(40));

            JsonObject json = new JsonObject();
            json.addProperty("preset", manifest.preset);
            json.addProperty("image_size", size);
            json.addProperty("frame_size", side);
            json.addProperty("fit", manifest.preprocess.fit);
            if (tile != null) {
                json.addProperty("tile", tile);
                json.addProperty("overlap", overlap);
            }
            json.addProperty("tiles_per_frame", tilesPerFrame);
            json.addProperty("frames", frames);
            json.addProperty("batch_max_size", batchMaxSize);
            json.addProperty("batch_max_delay_ms", batchMaxDelayMs);
            json.addProperty("torch_threads", torchThreads);
            json.addProperty("cores", Runtime.getRuntime().availableProcessors());
            json.addProperty("client", clientCmd.toString());
            json.addProperty("service", app.toString());
            var array = new com.google.gson.JsonArray();
            runs.forEach(array::add);
            json.add("runs", array);
            BenchCommand.printJson(spec, json);
            err.printf(Locale.ROOT, "%-11s %13s %13s %7s %10s %9s %9s %9s%n", "concurrency", "in-proc img/s",
                    "service img/s", "ratio", "mean batch", "p50 ms", "p95 ms", "p99 ms");
            for (JsonObject r : runs) {
                JsonObject l = r.getAsJsonObject("latency_ms");
                err.printf(Locale.ROOT, "%-11d %13.3f %13.3f %7.3f %10.2f %9.1f %9.1f %9.1f%n", r.get("concurrency").getAsInt(),
                        number(r, "inprocess_images_per_s"), number(r, "service_images_per_s"),
                        number(r, "service_over_inprocess"), number(r, "mean_batch_size"),
                        number(l, "p50"), number(l, "p95"), number(l, "p99"));
            }
            err.flush();
            return CommandLine.ExitCode.OK;
        } finally {
            stopChildren();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
            if (keep) {
                note(err, "kept %s", work);
            } else {
                try {
                    Directories.deleteTree(work);
                } catch (IOException e) {
                    note(err, "could not delete %s: %s", work, e);
                }
            }
        }
    }

    /** A model of the preset with random weights (speed does not depend on them). */
    private static void writeModel(ModelManifest manifest, Path dir) throws IOException {
        try (NDManager root = NDManager.newBaseManager("PyTorch")) {
            BlockNetworks nets = BlockNetworks.create(manifest, Plugins.fromClassPath(), root, 0);
            try {
                nets.save(dir, manifest);
            } finally {
                nets.close();
            }
        }
        manifest.write(dir);
    }

    /** PNG frames with smooth random patterns and a little noise, roughly as large as camera crops. */
    static List<Path> writeFrames(Path dir, int count, int side, long seed) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Random r = new Random(seed + i);
            float[] chw = new float[3 * side * side];
            double fx = 1 + r.nextInt(5);
            double fy = 1 + r.nextInt(5);
            for (int c = 0; c < 3; c++) {
                double phase = r.nextDouble() * 2 * Math.PI;
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        double v = 0.5 + 0.3 * Math.sin(2 * Math.PI * fx * x / side + phase) * Math.cos(2 * Math.PI * fy * y / side)
                                + 0.04 * (r.nextDouble() - 0.5);
                        chw[(c * side + y) * side + x] = (float) Math.min(1, Math.max(0, v));
                    }
                }
            }
            Path file = dir.resolve(String.format(Locale.ROOT, "frame-%05d.png", i));
            Png.write(RgbImage.wrap(side, side, chw), file);
            files.add(file);
        }
        return files;
    }


    /**
     * Model inputs/s (frames, or their tiles) of the model alone in batches of {@code batch}, each run as the
     * service's batcher runs one (one engine-free inspect: pixels in, scores and maps out), and the
     * median milliseconds per batch. One batch of that size warms up first.
     */
    private static double[] inProcessRate(InspectionBackend backend, List<RgbImage> images, int size, int batch) {
        runBatch(backend, images, 0, batch, size);
        int count = images.size();
        List<Double> perBatch = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < count; i += batch) {
            long t = System.nanoTime();
            runBatch(backend, images, i, Math.min(batch, count - i), size);
            perBatch.add((System.nanoTime() - t) / 1e6);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        perBatch.sort(Comparator.naturalOrder());
        return new double[] {count / seconds, perBatch.get(perBatch.size() / 2)};
    }

    private static void runBatch(InspectionBackend backend, List<RgbImage> images, int from, int n, int size) {
        List<RgbImage> chunk = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            chunk.add(images.get((from + i) % images.size()));
        }
        backend.inspect(PixelBatch.of(chunk, size));
    }

    private Process startService(Path app, Path work, int grpcPort, int httpPort) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=true");
        if (threads != null) {
            cmd.add("-Dai.djl.pytorch.num_threads=" + threads);
        }
        cmd.add("-Ddad.models.dir=" + work.resolve("models"));
        cmd.add("-Ddad.batch.max-size=" + batchMaxSize);
        cmd.add("-Ddad.batch.max-delay=" + batchMaxDelayMs + "ms");
        if (device != null) {
            cmd.add("-Ddad.device=" + device);
        }
        cmd.add("-Dquarkus.grpc.server.port=" + grpcPort);
        cmd.add("-Dquarkus.http.port=" + httpPort);
        cmd.addAll(serviceJvmOpts);
        cmd.add("-jar");
        cmd.add(app.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("service.log").toFile()));
        pb.environment().put("OPT_OUT_TRACKING", "true");
        return start(pb);
    }

    /** Streams {@code dir} through the client and returns its summary.json. */
    private JsonObject runClient(Path clientCmd, Path work, Path dir, int grpcPort, int c, String name)
            throws IOException, InterruptedException {
        Path out = work.resolve("client").resolve(name);
        List<String> cmd = List.of(clientCmd.toString(), "stream", dir.toString(), "--target", "localhost:" + grpcPort,
                "--concurrency", Integer.toString(c), "--no-progress", "--out", out.toString(), "--maps", "none");
        Path log = work.resolve("client.log");
        Files.writeString(log, "$ " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = start(pb);
        try {
            if (!p.waitFor(Math.max(600, frames * 60L), TimeUnit.SECONDS)) {
                throw new IOException("dad-client " + name + " did not finish; see " + log);
            }
        } finally {
            stop(p, Duration.ofSeconds(5));
        }
        Path summary = out.resolve("summary.json");
        if (!Files.isRegularFile(summary)) {
            throw new IOException("dad-client " + name + " exited with " + p.exitValue() + " and no summary; see " + log);
        }
        JsonObject json = JsonParser.parseString(Files.readString(summary)).getAsJsonObject();
        if (p.exitValue() != 0 || json.has("errors") && json.get("errors").getAsInt() > 0) {
            throw new IOException("dad-client " + name + " exited with " + p.exitValue() + ": " + json);
        }
        return json;
    }

    private void awaitReady(Process service, int httpPort, Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(startupTimeoutS);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IOException("the service exited with " + service.exitValue() + "; see " + log + ":\n" + tail(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IOException("the service was not ready within " + startupTimeoutS + " s; see " + log);
    }

    private static final Pattern METRIC = Pattern.compile(
            "^(dad_batch_size_sum|dad_batch_size_count|dad_inference_seconds_sum)\\{([^}]*)\\}\\s+(\\S+)", Pattern.MULTILINE);

    /** {sum of batch sizes, batches, inference seconds} of the bench model, from /q/metrics. */
    private static double[] batchStats(int httpPort) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        double[] v = new double[3];
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            if (!m.group(2).contains("model=\"" + MODEL_ID + "\"")) {
                continue;
            }
            int i = switch (m.group(1)) {
                case "dad_batch_size_sum" -> 0;
                case "dad_batch_size_count" -> 1;
                default -> 2;
            };
            v[i] = Double.parseDouble(m.group(3));
        }
        return v;
    }

    private synchronized Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        children.add(p);
        return p;
    }

    /** Stops every process this command started (SIGTERM, then SIGKILL after a grace period). */
    private synchronized void stopChildren() {
        for (Process p : children) {
            stop(p, Duration.ofSeconds(40));
        }
        children.clear();
    }

    private static void stop(Process p, Duration grace) {
        if (!p.isAlive()) {
            return;
        }
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** --root, or the checkout bin/dad runs from: the launcher says where it is rather than this class searching for it. */
    private Path checkout() {
        if (root != null) {
            return root;
        }
        String home = System.getProperty("dad.home");
        if (home == null || home.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give --root CHECKOUT (or --service-jar and --client), or run through bin/dad, which sets -Ddad.home");
        }
        return Path.of(home);
    }

    private static double number(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }

    /** Adds {@code v} rounded to 3 decimals, or null when it is not a finite number. */
    private static void put(JsonObject o, String key, double v) {
        if (Double.isFinite(v)) {
            o.addProperty(key, Math.round(v * 1000.0) / 1000.0);
        } else {
            o.add(key, com.google.gson.JsonNull.INSTANCE);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read the log: " + e.getMessage() + ")";
        }
    }

    private static void note(PrintWriter err, String format, Object... args) {
        err.printf(Locale.ROOT, "bench serve: " + format + "%n", args);
        err.flush();
    }
}

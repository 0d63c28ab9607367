package ai.dad.toolkit.cli;

import ai.dad.djl.BlockNetworks;
import ai.dad.djl.DjlBackendProvider;
import ai.dad.djl.DjlInspectionBackend;
import ai.dad.djl.NativeMemory;
import ai.dad.djl.Precision;
import ai.dad.djl.Presets;
import ai.dad.imaging.Bilinear;
import ai.dad.imaging.Png;
import ai.dad.imaging.RgbImage;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.PixelBatch;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.ReconstructionSpec;
import ai.dad.spi.plugin.Plugins;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad bench}: speed and memory measurements, each printing one JSON object on stdout and
 * a readable table on stderr. Weights are random (speed does not depend on them), so no trained
 * model is needed. Run by hand and reported in docs/PERFORMANCE.md; never asserted in tests.
 * {@code stages} and {@code speedup} run in-process; {@link BenchServe} ({@code serve}) compares
 * in-process with the packaged service fed by the client; {@link BenchMemory} ({@code memory})
 * watches resident memory over a long stream.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed and memory (JSON on stdout).",
        subcommands = {BenchCommand.Stages.class, BenchCommand.Speedup.class, BenchTrainStep.class, BenchServe.class, BenchMemory.class})
public final class BenchCommand {

    /** Common options and the model every benchmark runs. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--preset", defaultValue = "small", description = "paper, small, tiny or demo (default: ${DEFAULT-VALUE}).")
        String preset;

        @Mixin
        BackendOptions backend;

        @Option(names = "--warmup", defaultValue = "2")
        int warmup;

        @Option(names = "--threads", description = "PyTorch intra-op threads (default: PyTorch's, one per core).")
        Integer threads;

        DjlInspectionBackend open(NDManager root, ModelManifest manifest) {
            applyThreads();
            return openRandom(root, manifest, backend.device, backend.precision);
        }

        /**
         * Loads the native library (JniUtils' calls fail before it is loaded) and sets PyTorch's
         * intra-op threads when {@code --threads} is given.
         */
        void applyThreads() {
            Engine.getEngine("PyTorch");
            if (threads != null) {
                JniUtils.setNumThreads(threads);
            }
        }

        void print(JsonObject json) {
            printJson(spec, json);
        }
    }

    /** What every benchmark reports about where it ran. */
    static JsonObject header(ModelManifest manifest, DjlInspectionBackend backend) {
        JsonObject json = new JsonObject();
        json.addProperty("preset", manifest.preset);
        json.addProperty("image_size", manifest.architecture.imageSize);
        json.addProperty("device", backend.manager().getDevice().toString());
        json.addProperty("precision", manifest.inference.precision);
        json.addProperty("threads", Runtime.getRuntime().availableProcessors());
        json.addProperty("torch_threads", JniUtils.getNumThreads());
        json.addProperty("malloc", NativeMemory.tune());
        return json;
    }

    /**
     * A backend of the preset with random weights computing in {@code precision} (null: fp32),
     * under {@code root}; closing it frees everything.
     */
    static DjlInspectionBackend openRandom(NDManager root, ModelManifest manifest, String device, String precision) {
        Plugins plugins = Plugins.fromClassPath();
        NDManager manager = root.newSubManager(DjlBackendProvider.device(device));
        Precision p = precision == null ? Precision.FP32 : Precision.parse(precision);
        p.requireSupportedOn(manager.getDevice());
        manifest.inference.precision = p.label();
        BlockNetworks nets = BlockNetworks.create(manifest, plugins, manager, 0);
        nets.usePrecision(p);
        return new DjlInspectionBackend(manifest, DjlBackendProvider.schedule(manifest, plugins), nets, manager.newSubManager());
    }

    /** Pretty JSON on the command's stdout (null values kept). */
    static void printJson(CommandLine.Model.CommandSpec spec, JsonObject json) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(json));
        out.flush();
    }

    /** Median and p95 milliseconds of each stage of one inspection, in-process. */
    @Command(name = "stages", mixinStandardHelpOptions = true, description = "Time each stage of an inspection.")
    static final class Stages extends Base {
        @Option(names = "--batch", defaultValue = "1")
        int batch;

        @Option(names = "--iterations", defaultValue = "10")
        int iterations;

        @Option(names = "--frame-size", defaultValue = "900", description = "Side of the encoded frame that is decoded (px).")
        int frameSize;

        @Option(names = "--frame-format", defaultValue = "png", paramLabel = "png|jpeg",
                description = "How that frame is encoded: png (of uniform noise, the worst case) or jpeg "
                        + "(quality 0.9, of a camera-like scene: a lit part on a gradient with sensor noise).")
        String frameFormat;

        @Option(names = "--profile", paramLabel = "FILE",
                description = "Also record one reconstruct + segment + fuse with PyTorch's profiler: the trace "
                        + "(Chrome trace JSON) goes to FILE, the operators that took longest into the output.")
        Path profile;

        private byte[] encodedFrame() throws IOException {
            return switch (frameFormat.toLowerCase(Locale.ROOT)) {
                case "png" -> Png.encode(noise(frameSize, 1));
                case "jpeg", "jpg" -> jpeg(scene(frameSize, 1), 0.9f);
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "--frame-format must be png or jpeg, not '" + frameFormat + "'");
            };
        }

        @Override
        public Integer call() throws Exception {
            ModelManifest manifest = Presets.manifest(preset);
            int size = manifest.architecture.imageSize;
            byte[] png = encodedFrame();
            try (NDManager root = NDManager.newBaseManager("PyTorch"); DjlInspectionBackend backend = open(root, manifest)) {
                JsonObject json = BenchCommand.header(manifest, backend);
                json.addProperty("batch", batch);
                json.addProperty("frame", frameSize + "x" + frameSize + " " + frameFormat + ", " + png.length + " bytes");
                JsonObject stages = new JsonObject();
                RgbImage decoded = RgbImage.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(png)));
                stages.add("decode", time(() -> {
                    try {
                        return RgbImage.fromBufferedImage(ImageIO.read(new ByteArrayInputStream(png)));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
                stages.add("resize", time(() -> decoded.resize(size)));
                PixelBatch pixels = PixelBatch.of(Collections.nCopies(batch, decoded.resize(size)), size);
                try (NDManager call = backend.manager().newSubManager()) {
                    NDArray x = pixels.toArray(call);
                    NDArray twice = x.concat(x, 0);
                    long[] t = new long[2 * batch];
                    Arrays.fill(t, 200);
                    NDArray steps = call.create(t);
                    stages.add("unet_forward_2n", time(() -> scoped(backend, () -> backend.networks().predictNoise(twice, steps))));
                    // The manifest's seeded noise, drawn once per model as inspect() draws it.
                    NoiseSource noise = backend.seededNoise();
                    NDArray rec = backend.reconstruct(x, manifest.inference.spec(), noise);
                    stages.add("reconstruct_norm_guided", time(() -> scoped(backend,
                            () -> backend.reconstruct(x, manifest.inference.spec(), noise))));
                    stages.add("segment", time(() -> scoped(backend, () -> backend.segment(x, rec))));
                    NDArray map = backend.segment(x, rec);
                    stages.add("fuse", time(() -> scoped(backend, () -> backend.fuse(map))));
                    float[] oneMap = Arrays.copyOf(map.toFloatArray(), size * size);
                    stages.add("encode_map", time(() -> {
                        try {
                            return Png.encodeGray(Bilinear.resize(oneMap, 1, size, size, frameSize, frameSize), frameSize, frameSize);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
                    if (profile != null) {
                        JniUtils.startProfile(false, false, false);
                        scoped(backend, () -> backend.fuse(backend.segment(x, backend.reconstruct(x, manifest.inference.spec(), noise))));
                        JniUtils.stopProfile(profile.toAbsolutePath().toString());
                        json.add("profile_top_ops_ms", topOperators(profile, 15));
                    }
                }
                json.add("stages_ms", stages);
                double model = median(stages, "reconstruct_norm_guided") + median(stages, "segment") + median(stages, "fuse");
                json.addProperty("model_ms_per_image", model / batch);
                json.addProperty("model_images_per_s", 1000.0 * batch / model);
                print(json);
                PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "%-24s %10s %10s%n", "stage", "median ms", "p95 ms");
                stages.entrySet().forEach(e -> err.printf(Locale.ROOT, "%-24s %10.2f %10.2f%n", e.getKey(),
                        e.getValue().getAsJsonObject().get("median").getAsDouble(), e.getValue().getAsJsonObject().get("p95").getAsDouble()));
                err.flush();
            }
            return CommandLine.ExitCode.OK;
        }

        private static double median(JsonObject stages, String stage) {
            return stages.getAsJsonObject(stage).get("median").getAsDouble();
        }

        /** Total milliseconds and calls of the operators that took longest in a profiler trace. */
        static JsonObject topOperators(Path trace, int count) throws IOException {
            JsonElement root = JsonParser.parseString(Files.readString(trace));
            JsonArray events = root.isJsonArray() ? root.getAsJsonArray() : root.getAsJsonObject().getAsJsonArray("traceEvents");
            Map<String, double[]> totals = new HashMap<>();
            for (JsonElement e : events) {
                JsonObject o = e.getAsJsonObject();
                if (o.has("ph") && "X".equals(o.get("ph").getAsString()) && o.has("dur")) {
                    double[] t = totals.computeIfAbsent(o.get("name").getAsString(), k -> new double[2]);
                    t[0] += o.get("dur").getAsDouble() / 1000.0;
                    t[1]++;
                }
            }
            JsonObject top = new JsonObject();
            totals.entrySet().stream()
                    .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                    .limit(count)
                    .forEach(e -> {
                        JsonObject o = new JsonObject();
                        o.addProperty("ms", Math.round(e.getValue()[0] * 100) / 100.0);
                        o.addProperty("calls", (long) e.getValue()[1]);
                        top.add(e.getKey(), o);
                    });
            return top;
        }

        private JsonObject time(Supplier<?> work) {
            for (int i = 0; i < warmup; i++) {
                work.get();
            }
            double[] ms = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                work.get();
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(ms);
            JsonObject o = new JsonObject();
            o.addProperty("median", ms[ms.length / 2]);
            o.addProperty("p95", ms[Math.min(ms.length - 1, (int) Math.ceil(0.95 * ms.length) - 1)]);
            return o;
        }
    }

    /** Images per second of each reconstruction mode and the ratios to norm-guided. */
    @Command(name = "speedup", mixinStandardHelpOptions = true,
            description = "Images/s of one-step, norm-guided, DDIM and DDPM reconstruction (+ segmentation).")
    static final class Speedup extends Base {
        @Option(names = "--frames", defaultValue = "5", description = "Images timed for the fast modes.")
        int frames;

        @Option(names = "--slow-frames", defaultValue = "1", description = "Images timed for DDPM.")
        int slowFrames;

        @Option(names = "--ddim-steps", defaultValue = "10")
        int ddimSteps;

        @Override
        public Integer call() throws Exception {
            ModelManifest manifest = Presets.manifest(preset);
            ModelManifest.Inference inf = manifest.inference;
            int size = manifest.architecture.imageSize;
            try (NDManager root = NDManager.newBaseManager("PyTorch"); DjlInspectionBackend backend = open(root, manifest)) {
                JsonObject json = BenchCommand.header(manifest, backend);
                PixelBatch pixels = PixelBatch.of(List.of(noise(size, 2)), size);
                JsonObject rates = new JsonObject();
                JsonObject reconstruction = new JsonObject();
                double[] normGuided = rate(backend, pixels, size, ReconstructionSpec.normGuided(inf.tSmall, inf.tBig, inf.w), frames);
                double[] oneStep = rate(backend, pixels, size, ReconstructionSpec.oneStep(inf.tSmall), frames);
                double[] ddim = rate(backend, pixels, size, ReconstructionSpec.ddim(inf.tBig, ddimSteps), frames);
                double[] ddpm = rate(backend, pixels, size, ReconstructionSpec.ddpm(inf.tBig), slowFrames);
                String ddimName = "ddim_" + ddimSteps;
                rates.addProperty("one_step", oneStep[0]);
                rates.addProperty("norm_guided", normGuided[0]);
                rates.addProperty(ddimName, ddim[0]);
                rates.addProperty("ddpm_from_t_b", ddpm[0]);
                reconstruction.addProperty("one_step", oneStep[1]);
                reconstruction.addProperty("norm_guided", normGuided[1]);
                reconstruction.addProperty(ddimName, ddim[1]);
                reconstruction.addProperty("ddpm_from_t_b", ddpm[1]);
                json.add("images_per_s", rates);
                json.add("reconstruction_images_per_s", reconstruction);
                json.addProperty("t_s", inf.tSmall);
                json.addProperty("t_b", inf.tBig);
                // The denoising methods compared (the paper's speed claim): reconstructions alone,
                // t_b U-Net calls on one image against one call on two (200 at t_b = 400).
                json.addProperty("ddpm_over_norm_guided", normGuided[1] / ddpm[1]);
                json.addProperty("ddim_over_norm_guided", normGuided[1] / ddim[1]);
                // Whole inspections (reconstruction + segmentation + fusion): the segmentation
                // network costs the same in every mode, so this ratio is below the U-Net count ratio.
                json.addProperty("ddpm_over_norm_guided_inspection", normGuided[0] / ddpm[0]);
                json.addProperty("ddim_over_norm_guided_inspection", normGuided[0] / ddim[0]);
                json.addProperty("unet_image_calls_ratio", inf.tBig / 2.0);
                print(json);
                PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "%-16s %14s %14s%n", "mode", "inspections/s", "reconstr./s");
                rates.keySet().forEach(k -> err.printf(Locale.ROOT, "%-16s %14.3f %14.3f%n", k, rates.get(k).getAsDouble(),
                        reconstruction.get(k).getAsDouble()));
                err.printf(Locale.ROOT, "norm-guided is %.1fx faster than DDPM from t_b=%d per inspection, %.1fx per reconstruction "
                        + "(U-Net image-calls: %d vs 2)%n", normGuided[0] / ddpm[0], inf.tBig, normGuided[1] / ddpm[1], inf.tBig);
                err.flush();
            }
            return CommandLine.ExitCode.OK;
        }

        /**
         * Images per second of reconstruct + segment + fuse, one image at a time, and of the
         * reconstruction alone (its share of the same runs; CPU operations run synchronously).
         */
        private double[] rate(DjlInspectionBackend backend, PixelBatch pixels, int size, ReconstructionSpec spec, int count) {
            for (int i = 0; i < Math.min(warmup, count); i++) {
                once(backend, pixels, size, spec);
            }
            long reconstructing = 0;
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                reconstructing += once(backend, pixels, size, spec);
            }
            long total = System.nanoTime() - start;
            return new double[] {count / (total / 1e9), count / (reconstructing / 1e9)};
        }

        /** One inspection; returns the nanoseconds its reconstruction took. */
        private static long once(DjlInspectionBackend backend, PixelBatch pixels, int size, ReconstructionSpec spec) {
            try (NDManager call = backend.manager().newSubManager()) {
                NDArray x = pixels.toArray(call);
                long start = System.nanoTime();
                NDArray rec = backend.reconstruct(x, spec, backend.seededNoise());
                long reconstructed = System.nanoTime() - start;
                backend.fuse(backend.segment(x, rec)).toFloatArray();
                return reconstructed;
            }
        }
    }

    /** Runs {@code work} in a sub-manager so every array it makes is freed at once. */
    private static Object scoped(DjlInspectionBackend backend, Supplier<NDArray> work) {
        try (NDScope scope = new NDScope()) {
            return work.get().getShape();
        }
    }

    /** JPEG bytes at {@code quality} (0..1), as a camera station might send them. */
    static byte[] jpeg(RgbImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image.toBufferedImage(), null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** A camera-like frame: a bright disc (the part) on a vertical gradient, with 2 % Gaussian sensor noise. */
    static RgbImage scene(int size, long seed) {
        Random random = new Random(seed);
        float[] chw = new float[3 * size * size];
        double radius = size / 3.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x - size / 2.0;
                double dy = y - size / 2.0;
                boolean part = dx * dx + dy * dy < radius * radius;
                for (int c = 0; c < 3; c++) {
                    double v = (part ? 0.75 - 0.1 * c : 0.2 + 0.3 * y / size) + 0.02 * random.nextGaussian();
                    chw[(c * size + y) * size + x] = (float) Math.min(1, Math.max(0, v));
                }
            }
        }
        return RgbImage.wrap(size, size, chw);
    }

    static RgbImage noise(int size, long seed) {
        Random random = new Random(seed);
        float[] chw = new float[3 * size * size];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextFloat();
        }
        return RgbImage.wrap(size, size, chw);
    }
}

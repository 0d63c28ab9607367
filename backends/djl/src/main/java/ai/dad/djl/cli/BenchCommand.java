package ai.dad.djl.cli;

import ai.dad.djl.BlockNetworks;
import ai.dad.djl.DjlBackendProvider;
import ai.dad.djl.DjlInspectionBackend;
import ai.dad.djl.Presets;
import ai.dad.imaging.Bilinear;
import ai.dad.imaging.Png;
import ai.dad.imaging.RgbImage;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.ReconstructionSpec;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad bench}: in-process speed measurements, each printing one JSON object on stdout and
 * a readable table on stderr. Weights are random (speed does not depend on them), so no trained
 * model is needed. Run by hand and reported in docs/PERFORMANCE.md; never asserted in tests.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed in-process (JSON on stdout).",
        subcommands = {BenchCommand.Stages.class, BenchCommand.Speedup.class})
public final class BenchCommand {

    /** Common options and the model every benchmark runs. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--preset", defaultValue = "small")
        String preset;

        @Option(names = "--device", description = "cpu, gpu or gpu:N (default: a GPU if there is one).")
        String device;

        @Option(names = "--warmup", defaultValue = "2")
        int warmup;

        JsonObject header(ModelManifest manifest, DjlInspectionBackend backend) {
            JsonObject json = new JsonObject();
            json.addProperty("preset", manifest.preset);
            json.addProperty("image_size", manifest.architecture.imageSize);
            json.addProperty("device", backend.manager().getDevice().toString());
            json.addProperty("threads", Runtime.getRuntime().availableProcessors());
            return json;
        }

        DjlInspectionBackend open(NDManager root, ModelManifest manifest) {
            Plugins plugins = Plugins.fromClassPath();
            NDManager manager = root.newSubManager(DjlBackendProvider.device(device));
            BlockNetworks nets = BlockNetworks.create(manifest, plugins, manager, 0);
            return new DjlInspectionBackend(manifest, DjlBackendProvider.schedule(manifest, plugins), nets, manager.newSubManager());
        }

        void print(JsonObject json) {
            PrintWriter out = spec.commandLine().getOut();
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(json));
            out.flush();
        }
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

        @Override
        public Integer call() throws Exception {
            ModelManifest manifest = Presets.manifest(preset);
            int size = manifest.architecture.imageSize;
            byte[] png = Png.encode(noise(frameSize, 1));
            try (NDManager root = NDManager.newBaseManager("PyTorch"); DjlInspectionBackend backend = open(root, manifest)) {
                JsonObject json = header(manifest, backend);
                json.addProperty("batch", batch);
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
                float[] pixels = new float[batch * 3 * size * size];
                for (int i = 0; i < batch; i++) {
                    decoded.resize(size).copyTo(pixels, i * 3 * size * size);
                }
                try (NDManager call = backend.manager().newSubManager()) {
                    NDArray x = call.create(pixels, new Shape(batch, 3, size, size));
                    NDArray twice = x.concat(x, 0);
                    long[] t = new long[2 * batch];
                    Arrays.fill(t, 200);
                    NDArray steps = call.create(t);
                    stages.add("unet_forward_2n", time(() -> scoped(backend, () -> backend.networks().predictNoise(twice, steps))));
                    NDArray rec = backend.reconstruct(x, manifest.inference.spec(), NoiseSource.seeded(0));
                    stages.add("reconstruct_norm_guided", time(() -> scoped(backend,
                            () -> backend.reconstruct(x, manifest.inference.spec(), NoiseSource.seeded(0)))));
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
                }
                json.add("stages_ms", stages);
                print(json);
                PrintWriter err = spec.commandLine().getErr();
                err.printf(Locale.ROOT, "%-24s %10s %10s%n", "stage", "median ms", "p95 ms");
                stages.entrySet().forEach(e -> err.printf(Locale.ROOT, "%-24s %10.2f %10.2f%n", e.getKey(),
                        e.getValue().getAsJsonObject().get("median").getAsDouble(), e.getValue().getAsJsonObject().get("p95").getAsDouble()));
                err.flush();
            }
            return CommandLine.ExitCode.OK;
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
                JsonObject json = header(manifest, backend);
                float[] pixels = noise(size, 2).buffer();
                JsonObject rates = new JsonObject();
                double normGuided = rate(backend, pixels, size, ReconstructionSpec.normGuided(inf.tSmall, inf.tBig, inf.w), frames);
                rates.addProperty("one_step", rate(backend, pixels, size, ReconstructionSpec.oneStep(inf.tSmall), frames));
                rates.addProperty("norm_guided", normGuided);
                rates.addProperty("ddim_" + ddimSteps, rate(backend, pixels, size, ReconstructionSpec.ddim(inf.tBig, ddimSteps), frames));
                double ddpm = rate(backend, pixels, size, ReconstructionSpec.ddpm(inf.tBig), slowFrames);
                rates.addProperty("ddpm_from_t_b", ddpm);
                json.add("images_per_s", rates);
                json.addProperty("t_s", inf.tSmall);
                json.addProperty("t_b", inf.tBig);
                json.addProperty("ddpm_over_norm_guided", normGuided / ddpm);
                json.addProperty("ddim_over_norm_guided", normGuided / rates.get("ddim_" + ddimSteps).getAsDouble());
                print(json);
                PrintWriter err = spec.commandLine().getErr();
                rates.entrySet().forEach(e -> err.printf(Locale.ROOT, "%-16s %10.3f images/s%n", e.getKey(), e.getValue().getAsDouble()));
                err.printf(Locale.ROOT, "norm-guided is %.1fx faster than DDPM from t_b=%d%n", normGuided / ddpm, inf.tBig);
                err.flush();
            }
            return CommandLine.ExitCode.OK;
        }

        /** Images per second of reconstruct + segment + fuse, one image at a time. */
        private double rate(DjlInspectionBackend backend, float[] pixels, int size, ReconstructionSpec spec, int count) {
            for (int i = 0; i < Math.min(warmup, count); i++) {
                once(backend, pixels, size, spec);
            }
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                once(backend, pixels, size, spec);
            }
            return count / ((System.nanoTime() - start) / 1e9);
        }

        private static void once(DjlInspectionBackend backend, float[] pixels, int size, ReconstructionSpec spec) {
            try (NDManager call = backend.manager().newSubManager()) {
                NDArray x = call.create(pixels, new Shape(1, 3, size, size));
                NDArray rec = backend.reconstruct(x, spec, NoiseSource.seeded(0));
                backend.fuse(backend.segment(x, rec)).toFloatArray();
            }
        }
    }

    /** Runs {@code work} in a sub-manager so every array it makes is freed at once. */
    private static Object scoped(DjlInspectionBackend backend, Supplier<NDArray> work) {
        try (NDScope scope = new NDScope()) {
            return work.get().getShape();
        }
    }

    private static RgbImage noise(int size, long seed) {
        Random random = new Random(seed);
        float[] chw = new float[3 * size * size];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextFloat();
        }
        return RgbImage.wrap(size, size, chw);
    }
}

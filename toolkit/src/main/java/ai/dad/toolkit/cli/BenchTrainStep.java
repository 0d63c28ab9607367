package ai.dad.toolkit.cli;

import ai.dad.djl.BlockNetworks;
import ai.dad.djl.DjlBackendProvider;
import ai.dad.djl.NativeMemory;
import ai.dad.djl.Presets;
import ai.dad.toolkit.synth.AnomalySynthesizer;
import ai.dad.toolkit.synth.Foreground;
import ai.dad.toolkit.train.Batch;
import ai.dad.toolkit.train.BatchMaker;
import ai.dad.toolkit.train.ImageFolders;
import ai.dad.toolkit.train.Trainer;
import ai.dad.imaging.RgbImage;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.tracker.Tracker;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dad bench train-step}: where the time of a training step goes, with the preset's
 * training recipe: making the batch (anomaly synthesis, on the prefetch thread in training),
 * the forward pass, the backward pass and the optimiser updates, plus the CPU time the kernel
 * spent for the process and its page faults per step (what made half of a step before
 * transparent huge pages, docs/PERFORMANCE.md). With {@code --profile} one step is also
 * recorded with PyTorch's profiler and its most expensive operators are listed.
 */
@Command(name = "train-step", mixinStandardHelpOptions = true, description = "Time the parts of a training step (JSON).")
final class BenchTrainStep extends BenchCommand.Base {
    /** Linux's clock ticks per second for /proc/self/stat times (USER_HZ, 100 on every common kernel). */
    private static final double TICKS_PER_SECOND = 100.0;

    @Option(names = "--data", paramLabel = "DIR", description = "Good images (default: random-noise images).")
    Path data;

    @Option(names = "--textures", paramLabel = "DIR", description = "Anomaly-source images, e.g. DTD.")
    Path textures;

    @Option(names = "--steps", defaultValue = "5", description = "Timed steps after the warm-up (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--profile", paramLabel = "FILE", description = "Record one step with PyTorch's profiler (Chrome trace JSON).")
    Path profile;

    @Override
    public Integer call() throws Exception {
        applyThreads();
        ModelManifest manifest = Presets.manifest(preset);
        Presets.Recipe recipe = Presets.recipe(preset);
        manifest.architecture.segBase = recipe.segBase();
        int size = manifest.architecture.imageSize;
        List<RgbImage> images = images(size);
        List<Path> textureFiles = textures == null ? List.of() : ImageFolders.images(textures);
        Plugins plugins = Plugins.fromClassPath();
        var schedule = DjlBackendProvider.schedule(manifest, plugins);
        BatchMaker maker = new BatchMaker(images, images.stream().map(Foreground::estimate).toList(),
                new AnomalySynthesizer(textureFiles, true), recipe.batch(), 300, schedule.steps(), 0);

        JsonObject json = new JsonObject();
        json.addProperty("preset", preset);
        json.addProperty("image_size", size);
        json.addProperty("batch", recipe.batch());
        json.addProperty("seg_base", recipe.segBase());
        json.addProperty("torch_threads", JniUtils.getNumThreads());
        json.addProperty("malloc", NativeMemory.tune());
        json.addProperty("glibc_tunables", System.getenv().getOrDefault("GLIBC_TUNABLES", ""));
        int total = warmup + steps;
        long[] makeNanos = new long[total];
        Batch[] batches = new Batch[total];
        for (int i = 0; i < total; i++) {
            long begin = System.nanoTime();
            batches[i] = maker.make(i);
            makeNanos[i] = System.nanoTime() - begin;
        }
        json.addProperty("make_batch_ms", medianMs(Arrays.copyOfRange(makeNanos, warmup, total)));

        if (backend.precision != null && !backend.precision.equalsIgnoreCase("fp32")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "training runs in fp32; --precision applies to inference benchmarks");
        }
        try (NDManager root = NDManager.newBaseManager(DjlBackendProvider.device(backend.device), "PyTorch");
                BlockNetworks nets = BlockNetworks.create(manifest, plugins, root, 0)) {
            Trainer trainer = new Trainer(nets, schedule, manifest.inference.w,
                    Tracker.fixed((float) recipe.lr()), Tracker.fixed((float) recipe.segLr()));
            for (int i = 0; i < warmup; i++) {
                trainer.step(root, batches[i]);
            }
            List<Trainer.StepLoss> timed = new ArrayList<>();
            long[] wall = new long[steps];
            long[] before = procStat();
            for (int i = 0; i < steps; i++) {
                long begin = System.nanoTime();
                timed.add(trainer.step(root, batches[warmup + i]));
                wall[i] = System.nanoTime() - begin;
            }
            long[] after = procStat();
            json.addProperty("step_ms", medianMs(wall));
            json.addProperty("forward_ms", medianMs(timed.stream().mapToLong(Trainer.StepLoss::forwardNanos).toArray()));
            json.addProperty("backward_ms", medianMs(timed.stream().mapToLong(Trainer.StepLoss::backwardNanos).toArray()));
            json.addProperty("update_ms", medianMs(timed.stream().mapToLong(Trainer.StepLoss::updateNanos).toArray()));
            json.addProperty("minor_faults_per_step", (after[0] - before[0]) / steps);
            json.addProperty("user_cpu_s_per_step", (after[1] - before[1]) / TICKS_PER_SECOND / steps);
            json.addProperty("system_cpu_s_per_step", (after[2] - before[2]) / TICKS_PER_SECOND / steps);
            if (profile != null) {
                JniUtils.startProfile(false, false, false);
                trainer.step(root, batches[total - 1]);
                JniUtils.stopProfile(profile.toAbsolutePath().toString());
                json.add("profile_top_ops_ms", BenchCommand.Stages.topOperators(profile, 20));
            }
        }
        print(json);
        return CommandLine.ExitCode.OK;
    }

    private List<RgbImage> images(int size) throws IOException {
        List<RgbImage> out = new ArrayList<>();
        if (data == null) {
            for (int i = 0; i < 16; i++) {
                out.add(BenchCommand.noise(size, i));
            }
            return out;
        }
        List<Path> files = ImageFolders.goodTrainingImages(data);
        for (Path file : files.subList(0, Math.min(16, files.size()))) {
            out.add(RgbImage.read(file, size));
        }
        return out;
    }

    /** Minor page faults, user and system CPU ticks of this process, from /proc/self/stat (zeros elsewhere). */
    private static long[] procStat() throws IOException {
        Path stat = Path.of("/proc/self/stat");
        if (!Files.isReadable(stat)) {
            return new long[3];
        }
        String text = Files.readString(stat);
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[7]), Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    private static double medianMs(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }
}

package ai.dad.toolkit.cli;

import ai.dad.djl.DjlInspectionBackend;
import ai.dad.djl.Presets;
import ai.dad.imaging.RgbImage;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.PixelBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad bench memory}: a long stream of in-process inspections, each run the way the
 * service's batcher runs a batch (a sub-manager, inspect, scores and maps to Java, close), with
 * the process's resident memory ({@code VmRSS} of {@code /proc/self/status}) and the NDArrays
 * DJL holds (count and bytes, over every manager of the engine) sampled as it goes. The RSS
 * slope, by least squares over the samples after the warm-up, in bytes per 1000 frames, is
 * about 0 when nothing leaks; the NDArray count must not grow at all.
 *
 * <p>The Java heap is part of the RSS too, and G1 grows it by itself over a long run (more
 * eden as it learns the allocation rate), which shows up as RSS growth that is no leak. For a
 * clean native figure run with a fixed, pre-touched heap: {@code JAVA_OPTS="-Xms512m -Xmx512m
 * -XX:+AlwaysPreTouch"}; the output says how much the committed heap changed during the fit.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, sortOptions = false,
        description = "RSS and DJL arrays over a long stream of inspections; the RSS slope per 1000 frames.")
final class BenchMemory implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", defaultValue = "tiny", description = "paper, small, tiny or demo (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--frames", defaultValue = "10000")
    int frames;

    @Option(names = "--batch", defaultValue = "1", description = "Frames per inspection (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--sample-every", defaultValue = "100", description = "Frames between two samples (default: ${DEFAULT-VALUE}).")
    int sampleEvery;

    @Option(names = "--warmup-frames", description = "Samples before this are left out of the slope (default: a tenth of --frames).")
    Integer warmupFrames;

    @Option(names = "--device", description = "cpu, gpu or gpu:N (default: a GPU if there is one).")
    String device;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: PyTorch's, one per core).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        if (frames < 1 || batch < 1 || sampleEvery < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--frames, --batch and --sample-every must be at least 1");
        }
        int warmup = warmupFrames != null ? warmupFrames : frames / 10;
        ModelManifest manifest = Presets.manifest(preset);
        int size = manifest.architecture.imageSize;
        int plane = 3 * size * size;
        List<RgbImage> images = new ArrayList<>();
        Random random = new Random(3);
        for (int k = 0; k < 8; k++) {
            float[] image = new float[plane];
            for (int i = 0; i < plane; i++) {
                image[i] = random.nextFloat();
            }
            images.add(RgbImage.wrap(size, size, image));
        }
        PrintWriter err = spec.commandLine().getErr();
        try (NDManager root = NDManager.newBaseManager("PyTorch")) {
            if (threads != null) {
                JniUtils.setNumThreads(threads);
            }
            DjlInspectionBackend backend = BenchCommand.openRandom(root, manifest, device, null);
            try {
                JsonObject json = BenchCommand.header(manifest, backend);
                json.addProperty("batch", batch);
                json.addProperty("frames", frames);
                json.addProperty("warmup_frames", warmup);
                JsonArray samples = new JsonArray();
                List<double[]> fit = new ArrayList<>();
                List<double[]> arrayFit = new ArrayList<>();
                long start = System.nanoTime();
                samples.add(sample(root, 0, start));
                int done = 0;
                int nextSample = sampleEvery;
                while (done < frames) {
                    int n = Math.min(batch, frames - done);
                    List<RgbImage> chunk = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        chunk.add(images.get((done + i) % images.size()));
                    }
                    backend.inspect(PixelBatch.of(chunk, size));
                    done += n;
                    if (done >= nextSample || done == frames) {
                        JsonObject s = sample(root, done, start);
                        samples.add(s);
                        if (done >= warmup) {
                            fit.add(new double[] {done, s.get("rss_bytes").getAsDouble(), s.get("heap_committed_bytes").getAsDouble()});
                            arrayFit.add(new double[] {done, s.get("ndarrays").getAsDouble()});
                        }
                        if (samples.size() % 10 == 0) {
                            err.printf(Locale.ROOT, "bench memory: %d frames, RSS %.1f MiB, %d NDArrays, %.1f frames/s%n", done,
                                    s.get("rss_bytes").getAsDouble() / (1 << 20), s.get("ndarrays").getAsLong(),
                                    done / s.get("elapsed_s").getAsDouble());
                            err.flush();
                        }
                        nextSample += sampleEvery;
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                json.addProperty("seconds", seconds);
                json.addProperty("images_per_s", frames / seconds);
                double slope = slope(fit);
                json.addProperty("rss_slope_bytes_per_1000_frames", Double.isFinite(slope) ? Math.round(slope * 1000) : 0);
                double arraySlope = slope(arrayFit);
                json.addProperty("ndarray_slope_per_1000_frames", Double.isFinite(arraySlope) ? arraySlope * 1000 : 0);
                JsonObject first = samples.get(0).getAsJsonObject();
                JsonObject last = samples.get(samples.size() - 1).getAsJsonObject();
                json.addProperty("rss_start_bytes", first.get("rss_bytes").getAsLong());
                json.addProperty("rss_end_bytes", last.get("rss_bytes").getAsLong());
                json.addProperty("ndarrays_start", first.get("ndarrays").getAsLong());
                json.addProperty("ndarrays_end", last.get("ndarrays").getAsLong());
                json.addProperty("fit_samples", fit.size());
                double heapGrowth = fit.isEmpty() ? 0 : fit.get(fit.size() - 1)[2] - fit.get(0)[2];
                json.addProperty("heap_committed_growth_during_fit_bytes", (long) heapGrowth);
                List<double[]> withoutHeap = new ArrayList<>();
                fit.forEach(p -> withoutHeap.add(new double[] {p[0], p[1] - p[2]}));
                double nativeSlope = slope(withoutHeap);
                json.addProperty("rss_minus_heap_committed_slope_bytes_per_1000_frames",
                        Double.isFinite(nativeSlope) ? Math.round(nativeSlope * 1000) : 0);
                json.add("samples", samples);
                BenchCommand.printJson(spec, json);
                err.printf(Locale.ROOT, "%d frames in %.1f s (%.2f frames/s); RSS %.1f -> %.1f MiB; NDArrays %d -> %d%n", frames, seconds,
                        frames / seconds, first.get("rss_bytes").getAsDouble() / (1 << 20), last.get("rss_bytes").getAsDouble() / (1 << 20),
                        first.get("ndarrays").getAsLong(), last.get("ndarrays").getAsLong());
                err.printf(Locale.ROOT, "RSS slope after %d frames: %+.0f bytes per 1000 frames (%d samples); NDArray slope %+.3f per 1000 frames%n",
                        warmup, slope * 1000, fit.size(), arraySlope * 1000);
                if (heapGrowth != 0) {
                    err.printf(Locale.ROOT, "the committed Java heap changed by %+.1f MiB during the fit (RSS - committed heap: %+.0f bytes "
                            + "per 1000 frames); for a clean figure fix the heap: JAVA_OPTS=\"-Xms512m -Xmx512m -XX:+AlwaysPreTouch\"%n",
                            heapGrowth / (1 << 20), nativeSlope * 1000);
                }
                err.flush();
            } finally {
                backend.close();
            }
        }
        return CommandLine.ExitCode.OK;
    }

    private static JsonObject sample(NDManager root, int done, long start) throws IOException {
        JsonObject s = new JsonObject();
        s.addProperty("frames", done);
        s.addProperty("elapsed_s", Math.round((System.nanoTime() - start) / 1e6) / 1e3);
        s.addProperty("rss_bytes", rssBytes());
        List<NDArray> arrays = root.getManagedArrays();
        long bytes = 0;
        for (NDArray a : arrays) {
            if (!a.isReleased()) {
                bytes += a.size() * a.getDataType().getNumOfBytes();
            }
        }
        s.addProperty("ndarrays", arrays.size());
        s.addProperty("ndarray_bytes", bytes);
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        s.addProperty("heap_used_bytes", heap.getUsed());
        s.addProperty("heap_committed_bytes", heap.getCommitted());
        return s;
    }

    /** VmRSS of /proc/self/status in bytes, or -1 where there is no such file. */
    static long rssBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[1]) * 1024;
            }
        }
        return -1;
    }

    /** Least-squares slope of y over x; NaN with fewer than two distinct x. */
    static double slope(List<double[]> points) {
        int n = points.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mx = 0;
        double my = 0;
        for (double[] p : points) {
            mx += p[0];
            my += p[1];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        for (double[] p : points) {
            sxy += (p[0] - mx) * (p[1] - my);
            sxx += (p[0] - mx) * (p[0] - mx);
        }
        return sxx == 0 ? Double.NaN : sxy / sxx;
    }
}

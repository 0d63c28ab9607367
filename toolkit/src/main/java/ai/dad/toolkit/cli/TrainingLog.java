package ai.dad.toolkit.cli;

import ai.dad.djl.DjlBackendProvider;
import ai.dad.toolkit.eval.Evaluator;
import ai.dad.metrics.TestSet;
import ai.dad.toolkit.train.Trainer;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.plugin.Plugins;
import com.google.gson.Gson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learning curve of a training run, one JSON line per report in
 * {@code MODEL_DIR.training/training-log.jsonl}:
 * the step, the wall time, the mean losses since the previous line and, when a test set is
 * given, the test metrics of the checkpoint at that step. Appends, so a resumed run continues
 * the same file.
 */
final class TrainingLog {
    private final Path file;
    private final List<TestSet.Item> testItems;
    private final int batch;
    private final String device;
    private final Plugins plugins;
    private final long startNanos = System.nanoTime();
    private double total;
    private double noise;
    private double focal;
    private double smoothL1;
    private int count;

    TrainingLog(Path file, Path testCategory, int batch, String device, Plugins plugins) throws IOException {
        this.file = file;
        this.testItems = testCategory == null ? null : TestSet.load(testCategory);
        this.batch = batch;
        this.device = device;
        this.plugins = plugins;
    }

    void add(Trainer.StepLoss loss) {
        total += loss.total();
        noise += loss.noise();
        focal += loss.focal();
        smoothL1 += loss.smoothL1();
        count++;
    }

    /** Appends a line for {@code step}; scores the model saved in {@code modelDir} on the test set unless it is null. */
    void write(int step, Path modelDir, PrintWriter err) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", step);
        line.put("seconds", Math.round((System.nanoTime() - startNanos) / 1e9));
        line.put("loss", mean(total));
        line.put("noise", mean(noise));
        line.put("focal", mean(focal));
        line.put("smooth_l1", mean(smoothL1));
        total = noise = focal = smoothL1 = 0;
        count = 0;
        if (modelDir != null && testItems != null) {
            Map<String, String> config = device == null ? Map.of() : Map.of("device", device);
            try (InspectionBackend backend = new DjlBackendProvider().open(modelDir, plugins, config)) {
                Evaluator.Outcome outcome = Evaluator.evaluate(backend, testItems, batch,
                        backend.manifest().inference.spec(), null, done -> { });
                line.put("test", outcome.report().overall().toMap());
                err.printf(Locale.ROOT, "%ndad train: step %d on the test set: %s%n", step, outcome.report().overall());
            }
        }
        Files.writeString(file, new Gson().toJson(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private double mean(double sum) {
        return count == 0 ? Double.NaN : sum / count;
    }
}

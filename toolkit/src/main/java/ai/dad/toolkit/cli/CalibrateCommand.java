package ai.dad.toolkit.cli;

import ai.dad.djl.DjlBackendProvider;
import ai.dad.toolkit.eval.FrameInference;
import ai.dad.toolkit.train.Calibrator;
import ai.dad.toolkit.train.ImageFolders;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad calibrate}: sets a model's OK/NG threshold and score normalisation from good images
 * it did not train on, and writes them into its manifest (see {@link Calibrator} for the rules).
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Set the OK/NG threshold from good images the model did not train on.")
public final class CalibrateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A folder of good images (searched recursively).")
    Path data;

    @Option(names = "--rule", defaultValue = Calibrator.DEFAULT_RULE,
            description = "max, percentile:P or sigma:K (default: ${DEFAULT-VALUE}).")
    String rule;

    @Option(names = "--margin", defaultValue = "0.1", description = "Relative headroom above the rule's value (default: ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--batch", defaultValue = "8")
    int batch;

    @Mixin
    BackendOptions backend;

    @Override
    public Integer call() throws Exception {
        List<Path> files = ImageFolders.images(data);
        if (files.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no images under " + data);
        }
        Map<String, String> config = backend.config();
        try (InspectionBackend backend = new DjlBackendProvider().open(model, Plugins.fromClassPath(), config)) {
            ModelManifest manifest = backend.manifest().copy();
            double[] scores = FrameInference.run(backend, TrainCommand.read(files, manifest), batch)
                    .stream().mapToDouble(FrameInference.Result::score).toArray();
            manifest.calibration = Calibrator.fromGoodScores(scores, rule, margin);
            manifest.write(model);
            spec.commandLine().getOut().printf(Locale.ROOT, "threshold %.6f: %s%n",
                    manifest.calibration.threshold, manifest.calibration.rule);
            spec.commandLine().getOut().flush();
        }
        return CommandLine.ExitCode.OK;
    }
}

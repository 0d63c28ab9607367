package ai.dad.toolkit.cli;

import ai.dad.imaging.Png;
import ai.dad.djl.DjlBackendProvider;
import ai.dad.toolkit.eval.FrameInference;
import ai.dad.toolkit.eval.Evaluator;
import ai.dad.imaging.FrameLayout;
import ai.dad.imaging.Heatmap;
import ai.dad.imaging.RgbImage;
import ai.dad.metrics.Evaluation;
import ai.dad.metrics.Metrics;
import ai.dad.metrics.TestSet;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.ReconstructionMode;
import ai.dad.spi.ReconstructionSpec;
import ai.dad.spi.plugin.Plugins;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * {@code dad eval}: runs a model over an MVTec-layout test set and reports Image AUROC, Pixel
 * AUROC, Pixel AP and AUPRO (FPR up to 0.3), overall and per defect type, all at the model's
 * resolution, and the false OK / false NG counts at its threshold. Defect types without masks
 * (OK/NG labels only) get the image-level figures. The reconstruction mode and timesteps can be overridden to rerun the paper's
 * comparison of one-step, norm-guided, DDIM and DDPM reconstruction.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure a model on an MVTec-layout category: test/<type>/ images, masks in ground_truth/<type>/ "
                + "(optional: without them only image-level metrics).")
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL_DIR")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "CATEGORY_DIR")
    Path data;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--maps", paramLabel = "DIR",
            description = "Write one PNG per image: input | reconstruction | anomaly map | overlay | ground truth.")
    Path maps;

    @Option(names = "--mode", description = "one-step, norm-guided, ddpm or ddim (default: the manifest's).")
    String mode;

    @Option(names = "--t", paramLabel = "T", description = "t_s for norm-guided, t for the other modes (default: the manifest's t_s).")
    Integer t;

    @Option(names = "--t-b", paramLabel = "T", description = "t_b for norm-guided (default: the manifest's).")
    Integer tBig;

    @Option(names = "--w", description = "Guidance weight (default: the manifest's).")
    Double w;

    @Option(names = "--ddim-steps", description = "DDIM steps (default: the manifest's).")
    Integer ddimSteps;

    @Option(names = "--per-type", paramLabel = "N", description = "Use at most N images of each type (a subset for slow modes).")
    Integer perType;

    @Option(names = "--batch", defaultValue = "8", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    BackendOptions backend;

    @Option(names = "--plugins", paramLabel = "DIR", description = "Plugins directory (schedules, segmentation heads).")
    Path plugins;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        List<TestSet.Item> items = TestSet.subset(TestSet.load(data), perType);
        Map<String, String> config = backend.config();
        try (InspectionBackend backend = new DjlBackendProvider().open(model, Plugins.load(plugins), config)) {
            ModelManifest manifest = backend.manifest();
            ReconstructionSpec recon = spec(manifest.inference);
            if (maps != null) {
                Files.createDirectories(maps);
            }
            Progress progress = new Progress(err, "images", 0, items.size(), 20);
            Evaluator.Outcome outcome = Evaluator.evaluate(backend, items, batch, recon,
                    maps == null ? null : (item, image, r, mask) -> writePanel(item, image, r, mask),
                    done -> progress.update(done, ""));
            Metrics.Report report = outcome.report();
            double msPerImage = outcome.msPerImage();
            PrintWriter out = spec.commandLine().getOut();
            out.print(table(report, recon, msPerImage));
            out.flush();
            if (json != null) {
                Files.writeString(json, toJson(report, recon, msPerImage) + "\n");
            }
        }
        return CommandLine.ExitCode.OK;
    }

    private ReconstructionSpec spec(ModelManifest.Inference inference) {
        ReconstructionMode m = mode == null ? ReconstructionMode.parse(inference.mode) : ReconstructionMode.parse(mode);
        int small = t != null ? t : inference.tSmall;
        int big = tBig != null ? tBig : inference.tBig;
        return new ReconstructionSpec(m, small, m == ReconstructionMode.NORM_GUIDED ? big : small,
                w != null ? w : inference.w, ddimSteps != null ? ddimSteps : inference.ddimSteps);
    }

    /** Image, reconstruction (of the first input), map, overlay and mask side by side, at the map's grid size. */
    private void writePanel(TestSet.Item item, RgbImage image, FrameInference.Result r, float[] mask) throws java.io.IOException {
        int w = r.mapWidth();
        int h = r.mapHeight();
        FrameLayout.Plan plan = r.plan();
        RgbImage view = image.width() == w && image.height() == h ? image : plan.regionView(image);
        int size = plan.modelSize();
        RgbImage reconstruction = RgbImage.wrap(size, size, r.reconstruction()).resize(w, h);
        RgbImage panel = Heatmap.sideBySide(view, reconstruction, Heatmap.colorize(r.map(), w, h), Heatmap.overlay(view, r.map()),
                Heatmap.gray(mask == null ? new float[w * h] : mask, w, h));
        String name = item.image().getFileName().toString();
        Png.write(panel, maps.resolve(item.defectType() + "_" + name.substring(0, name.lastIndexOf('.')) + ".png"));
    }

    private static String table(Metrics.Report report, ReconstructionSpec recon, double msPerImage) {
        return Evaluation.table(String.format(Locale.ROOT, "mode %s (t=%d%s), %.1f ms/image", recon.mode().label(), recon.t(),
                recon.mode() == ReconstructionMode.NORM_GUIDED ? ", t_b=" + recon.tBig() + ", w=" + recon.w() : "", msPerImage), report);
    }

    private String toJson(Metrics.Report report, ReconstructionSpec recon, double msPerImage) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", model.toAbsolutePath().normalize().getFileName().toString());
        run.put("mode", recon.mode().label());
        run.put("t", recon.t());
        run.put("t_b", recon.tBig());
        run.put("w", recon.w());
        run.put("ddim_steps", recon.ddimSteps());
        run.put("ms_per_image", msPerImage);
        return Evaluation.json(report, run);
    }
}

package ai.dad.toolkit.eval;

import ai.dad.toolkit.eval.FrameInference;
import ai.dad.imaging.RgbImage;
import ai.dad.imaging.FrameLayout;
import ai.dad.metrics.Evaluation;
import ai.dad.metrics.Metrics;
import ai.dad.metrics.TestSet;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ReconstructionSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs a backend in-process over test images in batches and feeds each image's score and map to
 * {@link Evaluation} (Image AUROC, Pixel AUROC, Pixel AP, AUPRO, and the decisions at the model's
 * threshold when it has one, at the model's resolution): {@code dad eval} and the test-set curve
 * that {@code dad train --eval-data} records. {@code dad-client eval} feeds the same core from the
 * service's verdicts.
 */
public final class Evaluator {
    private Evaluator() {}

    /** The report and the model's time per image (reconstruction, segmentation, fusion). */
    public record Outcome(Metrics.Report report, double msPerImage) {}

    /** Sees each image once it is scored, e.g. to draw a panel; {@code mask} is null for good images and types without masks. */
    public interface ImageListener {
        void scored(TestSet.Item item, RgbImage image, FrameInference.Result result, float[] mask) throws IOException;
    }

    public static Outcome evaluate(InspectionBackend backend, List<TestSet.Item> items, int batch,
            ReconstructionSpec spec, ImageListener listener, IntConsumer progress) throws IOException {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no test images to evaluate");
        }
        Evaluation evaluation = new Evaluation();
        long modelNanos = 0;
        for (int start = 0; start < items.size(); start += batch) {
            List<TestSet.Item> chunk = items.subList(start, Math.min(items.size(), start + batch));
            List<RgbImage> images = new ArrayList<>();
            for (TestSet.Item item : chunk) {
                images.add(FrameInference.read(item.image(), backend.manifest()));
            }
            long begin = System.nanoTime();
            List<FrameInference.Result> results = FrameInference.run(backend, images, batch, spec, backend.manifest().inference.seed);
            modelNanos += System.nanoTime() - begin;
            for (int i = 0; i < chunk.size(); i++) {
                TestSet.Item item = chunk.get(i);
                FrameInference.Result r = results.get(i);
                FrameLayout.Plan plan = r.plan();
                float[] mask = evaluation.add(item, r.score(), r.map(), r.mapWidth(), r.mapHeight(),
                        file -> FrameLayout.maskOnGrid(RgbImage.read(file), plan.frameWidth(), plan.frameHeight(),
                                plan.region(), plan.gridWidth(), plan.gridHeight()));
                if (listener != null) {
                    listener.scored(item, images.get(i), r, mask);
                }
            }
            progress.accept(start + chunk.size());
        }
        return new Outcome(evaluation.report(backend.manifest().calibration.threshold), modelNanos / 1e6 / items.size());
    }
}

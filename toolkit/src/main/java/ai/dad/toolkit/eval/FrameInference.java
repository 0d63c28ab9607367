package ai.dad.toolkit.eval;

import ai.dad.imaging.FrameLayout;
import ai.dad.imaging.RgbImage;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.PixelBatch;
import ai.dad.spi.ReconstructionSpec;
import ai.dad.spi.ScoredBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a backend's three stages over frames in batches, for the offline tools (calibrate, eval).
 * Each frame is cut as the model's {@code preprocess} section says ({@link FrameLayout}); the
 * inputs of all frames share batches, and each frame's maps are stitched back into one.
 */
public final class FrameInference {
    private FrameInference() {}

    /**
     * One frame's outputs: the score, the anomaly map on the layout's grid (the model's
     * {@code S x S} map for a plain stretch) and the reconstruction of its first input
     * ({@code 3 x S x S}, [0, 1]); {@code plan} says how the grid lies on the frame.
     */
    public record Result(float score, float[] map, float[] reconstruction, FrameLayout.Plan plan) {
        public int mapWidth() {
            return plan.gridWidth();
        }

        public int mapHeight() {
            return plan.gridHeight();
        }
    }

    /**
     * Reads an image file as the model's layout needs it: resized to the model's size for a
     * plain stretch (the same input, smaller in memory), whole otherwise.
     */
    public static RgbImage read(Path file, ModelManifest manifest) throws IOException {
        return manifest.preprocess.plainStretch() ? RgbImage.read(file, manifest.architecture.imageSize) : RgbImage.read(file);
    }

    /** The manifest's own inference settings. */
    public static List<Result> run(InspectionBackend backend, List<RgbImage> frames, int batchSize) {
        var inference = backend.manifest().inference;
        return run(backend, frames, batchSize, inference.spec(), inference.seed);
    }

    public static List<Result> run(InspectionBackend backend, List<RgbImage> frames, int batchSize,
            ReconstructionSpec spec, long seed) {
        ModelManifest manifest = backend.manifest();
        int size = manifest.architecture.imageSize;
        FrameLayout layout = manifest.preprocess.layout(size);
        List<FrameLayout.Plan> plans = new ArrayList<>(frames.size());
        List<RgbImage> inputs = new ArrayList<>();
        for (RgbImage frame : frames) {
            FrameLayout.Cut cut = layout.cut(frame);
            plans.add(cut.plan());
            inputs.addAll(cut.inputs());
        }
        List<float[]> maps = new ArrayList<>(inputs.size());
        List<float[]> reconstructions = new ArrayList<>(inputs.size());
        float[] scores = new float[inputs.size()];
        for (int start = 0; start < inputs.size(); start += batchSize) {
            List<RgbImage> chunk = inputs.subList(start, Math.min(inputs.size(), start + batchSize));
            ScoredBatch scored = backend.inspect(PixelBatch.of(chunk, size), spec, NoiseSource.seeded(seed), true);
            for (int i = 0; i < chunk.size(); i++) {
                scores[start + i] = scored.scores()[i];
                maps.add(scored.map(i));
                reconstructions.add(scored.reconstruction(i));
            }
        }
        List<Result> results = new ArrayList<>(frames.size());
        int next = 0;
        for (FrameLayout.Plan plan : plans) {
            int n = plan.pieces().size();
            FrameLayout.Plan.Scored scored = plan.score(layout.fit(), maps.subList(next, next + n), scores[next],
                    manifest.inference.topK);
            results.add(new Result((float) scored.score(), scored.grid(), reconstructions.get(next), plan));
            next += n;
        }
        return results;
    }
}

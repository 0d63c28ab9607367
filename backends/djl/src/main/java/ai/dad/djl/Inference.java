package ai.dad.djl;

import ai.dad.imaging.RgbImage;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.ReconstructionSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs a backend's three stages over images in batches, for the offline tools (calibrate, eval). */
public final class Inference {
    private Inference() {}

    /** One image's outputs: the score, the anomaly map (S x S) and the reconstruction (3 x S x S, [0, 1]). */
    public record Result(float score, float[] map, float[] reconstruction) {}

    /** The manifest's own inference settings. */
    public static List<Result> run(InspectionBackend backend, List<RgbImage> images, int batchSize) {
        var inference = backend.manifest().inference;
        return run(backend, images, batchSize, inference.spec(), inference.seed);
    }

    public static List<Result> run(InspectionBackend backend, List<RgbImage> images, int batchSize,
            ReconstructionSpec spec, long seed) {
        int size = backend.manifest().architecture.imageSize;
        List<Result> results = new ArrayList<>(images.size());
        for (int start = 0; start < images.size(); start += batchSize) {
            List<RgbImage> chunk = images.subList(start, Math.min(images.size(), start + batchSize));
            float[] pixels = new float[chunk.size() * 3 * size * size];
            for (int i = 0; i < chunk.size(); i++) {
                RgbImage image = chunk.get(i);
                if (image.width() != size || image.height() != size) {
                    image = image.resize(size);
                }
                image.copyTo(pixels, i * 3 * size * size);
            }
            try (NDManager call = backend.manager().newSubManager()) {
                NDArray x = call.create(pixels, new Shape(chunk.size(), 3, size, size));
                NDArray reconstruction = backend.reconstruct(x, spec, NoiseSource.seeded(seed));
                NDArray maps = backend.segment(x, reconstruction);
                float[] scores = backend.fuse(maps).toFloatArray();
                float[] mapValues = maps.toFloatArray();
                float[] recValues = reconstruction.clip(0, 1).toFloatArray();
                int mapSize = size * size;
                for (int i = 0; i < chunk.size(); i++) {
                    results.add(new Result(scores[i],
                            Arrays.copyOfRange(mapValues, i * mapSize, (i + 1) * mapSize),
                            Arrays.copyOfRange(recValues, i * 3 * mapSize, (i + 1) * 3 * mapSize)));
                }
            }
        }
        return results;
    }
}

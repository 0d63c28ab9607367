package ai.dad.spi;

import java.util.Arrays;

/**
 * What {@link InspectionBackend#inspect(PixelBatch)} returns, as plain floats: per image the
 * score, the anomaly map ({@code size x size}, [0, 1]) and, when asked for, the reconstruction
 * ({@code 3 x size x size}, clipped to [0, 1] for display; null otherwise), packed in input order.
 */
public record ScoredBatch(float[] scores, float[] maps, float[] reconstructions, int size) {

    public int count() {
        return scores.length;
    }

    /** Image {@code i}'s anomaly map, row-major. */
    public float[] map(int i) {
        int plane = size * size;
        return Arrays.copyOfRange(maps, i * plane, (i + 1) * plane);
    }

    /** Image {@code i}'s reconstruction, planar RGB. */
    public float[] reconstruction(int i) {
        int plane = 3 * size * size;
        return Arrays.copyOfRange(reconstructions, i * plane, (i + 1) * plane);
    }
}

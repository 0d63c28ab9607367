package ai.dad.toolkit.train;

/**
 * Everything random about one training step, drawn up front so that the step is a pure
 * function of (seed, step number): images with synthesised anomalies (N x 3 x S x S), their
 * masks (N x 1 x S x S), 1 for clean samples, the timesteps and the two noise tensors.
 */
public record Batch(int size, int imageSize, float[] images, float[] masks, float[] clean,
        int[] tSmall, int[] tBig, float[] noiseSmall, float[] noiseBig) {

    /** How many samples carry a synthesised anomaly. */
    public int anomalous() {
        int count = 0;
        for (float c : clean) {
            count += c == 0 ? 1 : 0;
        }
        return count;
    }
}

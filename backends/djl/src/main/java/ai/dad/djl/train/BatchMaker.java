package ai.dad.djl.train;

import ai.dad.djl.synth.AnomalySynthesizer;
import ai.dad.imaging.RgbImage;
import ai.dad.djl.synth.Sample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;

/**
 * Makes the {@link Batch} of a training step from good images: picks images, synthesises
 * anomalies, draws t_s uniform in [0, lessT), t_b uniform in [lessT, T) and the Gaussian noise.
 * The batch of step k depends only on the seed and k, so runs are reproducible and resumable.
 */
public final class BatchMaker {
    private final List<RgbImage> images;
    private final List<float[]> foregrounds;
    private final AnomalySynthesizer synthesizer;
    private final int batchSize;
    private final int lessT;
    private final int steps;
    private final long seed;

    /**
     * @param foregrounds per image a foreground mask (S x S, 0 or 1) or null; null list for none
     * @param steps T of the noise schedule
     */
    public BatchMaker(List<RgbImage> images, List<float[]> foregrounds, AnomalySynthesizer synthesizer,
            int batchSize, int lessT, int steps, long seed) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no training images");
        }
        if (lessT <= 0 || lessT >= steps) {
            throw new IllegalArgumentException("the t_s range end " + lessT + " must lie inside 1.." + (steps - 1));
        }
        this.images = List.copyOf(images);
        this.foregrounds = foregrounds;
        this.synthesizer = synthesizer;
        this.batchSize = batchSize;
        this.lessT = lessT;
        this.steps = steps;
        this.seed = seed;
    }

    public Batch make(int step) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + step);
        int size = images.get(0).width();
        int pixels = size * size;
        float[] x = new float[batchSize * 3 * pixels];
        float[] masks = new float[batchSize * pixels];
        float[] clean = new float[batchSize];
        int[] ts = new int[batchSize];
        int[] tb = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            int pick = random.nextInt(images.size());
            float[] foreground = foregrounds == null ? null : foregrounds.get(pick);
            Sample sample;
            try {
                sample = synthesizer.synthesize(images.get(pick), foreground, random);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sample.image().copyTo(x, i * 3 * pixels);
            System.arraycopy(sample.mask(), 0, masks, i * pixels, pixels);
            clean[i] = sample.anomalous() ? 0 : 1;
            ts[i] = random.nextInt(lessT);
            tb[i] = lessT + random.nextInt(steps - lessT);
        }
        return new Batch(batchSize, size, x, masks, clean, ts, tb, gaussian(random, x.length), gaussian(random, x.length));
    }

    private static float[] gaussian(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}

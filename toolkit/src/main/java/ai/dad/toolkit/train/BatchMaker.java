package ai.dad.toolkit.train;

import ai.dad.toolkit.synth.AnomalySynthesizer;
import ai.dad.imaging.RgbImage;
import ai.dad.toolkit.synth.Sample;
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
    private final int crop;
    private final int lessT;
    private final int steps;
    private final long seed;

    /** Batches of whole images; see {@link #BatchMaker(List, List, AnomalySynthesizer, int, int, int, int, long)}. */
    public BatchMaker(List<RgbImage> images, List<float[]> foregrounds, AnomalySynthesizer synthesizer,
            int batchSize, int lessT, int steps, long seed) {
        this(images, foregrounds, synthesizer, batchSize, 0, lessT, steps, seed);
    }

    /**
     * @param foregrounds per image a foreground mask (S x S, 0 or 1) or null; null list for none
     * @param crop 0 for whole images, else the side of a random square crop taken from each
     *             sample after synthesis, so that a model trained on crops of large images sees
     *             the fine detail of the size it infers at, for the cost of the crop size
     * @param steps T of the noise schedule
     */
    public BatchMaker(List<RgbImage> images, List<float[]> foregrounds, AnomalySynthesizer synthesizer,
            int batchSize, int crop, int lessT, int steps, long seed) {
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
        int size = images.get(0).width();
        if (crop < 0 || crop > size) {
            throw new IllegalArgumentException("a crop of " + crop + " px does not fit " + size + " px images");
        }
        this.crop = crop == 0 ? size : crop;
        this.lessT = lessT;
        this.steps = steps;
        this.seed = seed;
    }

    public Batch make(int step) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + step);
        int size = crop;
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
            boolean anomalous = copyCrop(sample, random, x, i * 3 * pixels, masks, i * pixels);
            clean[i] = anomalous ? 0 : 1;
            ts[i] = random.nextInt(lessT);
            tb[i] = lessT + random.nextInt(steps - lessT);
        }
        return new Batch(batchSize, size, x, masks, clean, ts, tb, gaussian(random, x.length), gaussian(random, x.length));
    }

    /**
     * Copies a random {@code crop x crop} window of the sample's image and mask into the batch;
     * returns whether the window holds any anomalous pixel (a crop that misses the pasted defect
     * is an exact crop of the good image, so it counts as clean).
     */
    private boolean copyCrop(Sample sample, Random random, float[] x, int xOffset, float[] masks, int maskOffset) {
        int full = sample.image().width();
        int top = crop == full ? 0 : random.nextInt(full - crop + 1);
        int left = crop == full ? 0 : random.nextInt(full - crop + 1);
        float[] image = sample.image().buffer();
        float[] mask = sample.mask();
        int plane = full * full;
        boolean anomalous = false;
        for (int row = 0; row < crop; row++) {
            int from = (top + row) * full + left;
            for (int c = 0; c < 3; c++) {
                System.arraycopy(image, c * plane + from, x, xOffset + c * crop * crop + row * crop, crop);
            }
            System.arraycopy(mask, from, masks, maskOffset + row * crop, crop);
            for (int col = 0; col < crop && !anomalous; col++) {
                anomalous = mask[from + col] != 0f;
            }
        }
        return anomalous;
    }

    private static float[] gaussian(Random random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }
}

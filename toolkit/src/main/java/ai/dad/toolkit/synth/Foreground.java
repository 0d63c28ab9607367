package ai.dad.toolkit.synth;

import ai.dad.imaging.ConnectedComponents;
import ai.dad.imaging.RgbImage;
import java.util.Arrays;
import java.util.Random;

/**
 * Foreground masks that confine synthetic anomalies, as DiffusionAD's training does: for object
 * categories the object itself, for textures a random part of the image. Masks are
 * {@code height * width} values, each 0 or 1, row-major, as
 * {@link AnomalySynthesizer#synthesize(RgbImage, float[], Random)} takes them.
 *
 * <p>The reference loads object masks made offline by a salient-object network; {@link #estimate}
 * instead derives them from the good image alone, assuming what MVTec-style object images show:
 * one object on a plain background that fills the image border.
 */
public final class Foreground {

    /** Width of the border ring, per side, whose median colour is taken as the background. */
    static final double BORDER_FRACTION = 0.04;
    /**
     * Smallest RGB distance (values in [0,1]) that counts as foreground, whatever Otsu says: on a
     * near-uniform image Otsu would split sensor noise into two classes.
     */
    static final double MIN_DISTANCE = 0.1;
    /** Dilation radius as a share of the smaller side: covers soft, blurred object rims. */
    static final double DILATE_FRACTION = 0.02;
    /** Estimates covering less than this share of the image (or more than 1 - it) are not trusted. */
    static final double MIN_FRACTION = 0.02;
    /** A random region covers a share of the image uniform in [MIN_REGION, MAX_REGION]. */
    static final double MIN_REGION = 0.3;
    static final double MAX_REGION = 0.7;

    private static final int BINS = 256;

    private Foreground() {
    }

    /**
     * Estimates the object of an object-category image: pixels far, in RGB, from the border's
     * median colour (threshold by Otsu's method, at least {@value #MIN_DISTANCE}), reduced to the
     * largest 8-connected region, its holes filled and dilated by about 2% of the image side.
     *
     * <p>When the estimate covers under 2% or over 98% of the image the assumption of an object
     * on a plain border has failed (a uniform image, an object or texture that fills the frame, a
     * cluttered border); the whole image is returned then, which is the behaviour without a mask.
     * Anomalies on the background are a milder error than anomalies kept off part of the object.
     *
     * @return {@code height * width} values, 1 on the foreground and 0 elsewhere
     */
    public static float[] estimate(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int n = w * h;
        float[] rgb = image.buffer();
        float[] background = borderMedian(image);
        float[] distance = new float[n];
        float max = 0f;
        for (int i = 0; i < n; i++) {
            float sum = 0f;
            for (int c = 0; c < 3; c++) {
                float d = rgb[c * n + i] - background[c];
                sum += d * d;
            }
            distance[i] = (float) Math.sqrt(sum);
            max = Math.max(max, distance[i]);
        }
        double threshold = Math.max(otsu(distance, max), MIN_DISTANCE);
        boolean[] object = new boolean[n];
        for (int i = 0; i < n; i++) {
            object[i] = distance[i] > threshold;
        }
        object = dilate(fillHoles(largestComponent(object, w, h), w, h), w, h,
                (int) Math.max(1, Math.round(DILATE_FRACTION * Math.min(w, h))));
        int count = 0;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            if (object[i]) {
                out[i] = 1f;
                count++;
            }
        }
        if (count < MIN_FRACTION * n || count > (1 - MIN_FRACTION) * n) {
            Arrays.fill(out, 1f);
        }
        return out;
    }

    /**
     * A random part of the image for texture categories, where everything is foreground but the
     * reference still confines each anomaly to some region: low-frequency Perlin noise (1 or 2
     * periods per axis) above the quantile that leaves a share uniform in [0.3, 0.7] inside, so
     * the region is one or a few smooth blobs, never empty and never the whole image.
     */
    public static float[] randomRegion(int h, int w, Random random) {
        float[] noise = PerlinNoise.generate(h, w, 1 + random.nextInt(2), 1 + random.nextInt(2), random);
        double share = MIN_REGION + (MAX_REGION - MIN_REGION) * random.nextDouble();
        float[] sorted = noise.clone();
        Arrays.sort(sorted);
        int inside = (int) Math.max(1, Math.min(noise.length - 1, Math.round(share * noise.length)));
        float threshold = sorted[noise.length - inside];
        float[] out = new float[noise.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = noise[i] >= threshold ? 1f : 0f;
        }
        return out;
    }

    /** Per-channel median of the outer {@value #BORDER_FRACTION} of each side. */
    private static float[] borderMedian(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int bx = (int) Math.max(1, Math.round(BORDER_FRACTION * w));
        int by = (int) Math.max(1, Math.round(BORDER_FRACTION * h));
        float[] out = new float[3];
        float[] ring = new float[w * h];
        for (int c = 0; c < 3; c++) {
            int k = 0;
            for (int y = 0; y < h; y++) {
                boolean edgeRow = y < by || y >= h - by;
                for (int x = 0; x < w; x++) {
                    if (edgeRow || x < bx || x >= w - bx) {
                        ring[k++] = image.get(c, y, x);
                    }
                }
            }
            Arrays.sort(ring, 0, k);
            out[c] = ring[k / 2];
        }
        return out;
    }

    /** Otsu's threshold of values in [0, max]: the bin edge that maximises the between-class variance. */
    private static double otsu(float[] values, float max) {
        if (max <= 0f) {
            return 0;
        }
        long[] hist = new long[BINS];
        for (float v : values) {
            hist[Math.min(BINS - 1, (int) (v / max * BINS))]++;
        }
        double total = values.length;
        double sumAll = 0;
        for (int b = 0; b < BINS; b++) {
            sumAll += b * (double) hist[b];
        }
        double sumBelow = 0;
        long below = 0;
        double best = -1;
        int bestBin = 0;
        for (int b = 0; b < BINS - 1; b++) {
            below += hist[b];
            sumBelow += b * (double) hist[b];
            long above = values.length - below;
            if (below == 0 || above == 0) {
                continue;
            }
            double meanBelow = sumBelow / below;
            double meanAbove = (sumAll - sumBelow) / above;
            double between = below / total * (above / total) * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (between > best) {
                best = between;
                bestBin = b;
            }
        }
        return (bestBin + 1) * (double) max / BINS; // upper edge of the last background bin
    }

    /** Keeps only the largest 8-connected region (none if the mask is empty). */
    private static boolean[] largestComponent(boolean[] mask, int w, int h) {
        int[] labels = ConnectedComponents.label8(mask, w, h);
        int[] sizes = new int[ConnectedComponents.count(labels) + 1];
        for (int label : labels) {
            sizes[label]++;
        }
        int largest = 0; // label 0 is the background: no region at all
        for (int label = 1; label < sizes.length; label++) {
            if (largest == 0 || sizes[label] > sizes[largest]) {
                largest = label;
            }
        }
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = largest != 0 && labels[i] == largest;
        }
        return out;
    }

    /**
     * Adds the holes: background regions that do not touch the image border (a bright bottle
     * opening, a hollow centre). Background is joined 8-connected, so a diagonal gap in the rim
     * already counts as open: the safe side, a hole is never invented.
     */
    private static boolean[] fillHoles(boolean[] mask, int w, int h) {
        boolean[] background = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            background[i] = !mask[i];
        }
        int[] labels = ConnectedComponents.label8(background, w, h);
        boolean[] open = new boolean[ConnectedComponents.count(labels) + 1];
        for (int x = 0; x < w; x++) {
            open[labels[x]] = true;
            open[labels[(h - 1) * w + x]] = true;
        }
        for (int y = 0; y < h; y++) {
            open[labels[y * w]] = true;
            open[labels[y * w + w - 1]] = true;
        }
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = mask[i] || !open[labels[i]];
        }
        return out;
    }

    /** Dilation by a disc of the given radius. */
    private static boolean[] dilate(boolean[] mask, int w, int h, int radius) {
        boolean[] out = mask.clone();
        int r2 = radius * radius;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                boolean interior = mask[i] && x > 0 && x < w - 1 && y > 0 && y < h - 1
                        && mask[i - 1] && mask[i + 1] && mask[i - w] && mask[i + w];
                if (!mask[i] || interior) {
                    continue; // only edge pixels can reach outside the mask
                }
                for (int dy = -radius; dy <= radius; dy++) {
                    int yy = y + dy;
                    if (yy < 0 || yy >= h) {
                        continue;
                    }
                    for (int dx = -radius; dx <= radius; dx++) {
                        int xx = x + dx;
                        if (xx >= 0 && xx < w && dx * dx + dy * dy <= r2) {
                            out[yy * w + xx] = true;
                        }
                    }
                }
            }
        }
        return out;
    }
}

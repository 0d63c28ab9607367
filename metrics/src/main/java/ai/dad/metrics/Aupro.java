package ai.dad.metrics;

import ai.dad.imaging.ConnectedComponents;
import java.util.Arrays;
import java.util.List;

/**
 * Normalized area under the per-region-overlap (PRO) curve, as in MVTec AD's official
 * evaluation.
 *
 * <p>Exact definition: the regions are the 8-connected components ({@link ConnectedComponents})
 * of every ground-truth mask, pooled over all images (R regions in all). For a threshold t,
 * PRO(t) is the mean over the R regions of the fraction of the region's pixels with score >= t,
 * and FPR(t) is the fraction of all background pixels of all images (B in all) with score >= t.
 * The curve has one point per distinct score value (descending), preceded by (0, 0), and ends at
 * (1, 1). The PRO is integrated over FPR in [0, limit] with the trapezoid rule, the curve being
 * interpolated linearly at exactly FPR = limit, and the area is divided by the limit, so a perfect
 * detector scores 1.0 and a constant map scores limit / 2.
 *
 * <p>Note: DiffusionAD's own evaluation script differs: it samples the curve at fixed threshold
 * steps, keeps the points with FPR below 0.3 and rescales the FPR axis by the largest FPR reached
 * there (not by 0.3) before integrating. We use the standard MVTec definition above, so our numbers
 * can differ slightly from the ones the paper's script prints.
 *
 * <p>Undefined cases: no region at all (R == 0) or no background pixel (B == 0) gives
 * {@link Double#NaN}. Images with a null (or empty) mask contribute only background pixels. NaN
 * scores are rejected with {@link IllegalArgumentException}.
 *
 * <p>Cost: every pixel is packed with its region id into one long and all are sorted once
 * (8 bytes a pixel, primitive sort), then the thresholds are walked in one pass.
 */
public final class Aupro {
    /** The usual integration limit: FPR up to 30%. */
    public static final double DEFAULT_LIMIT = 0.3;

    private Aupro() {}

    /** AUPRO up to FPR 0.3 ({@link #DEFAULT_LIMIT}). */
    public static double compute(List<float[]> maps, List<boolean[]> masks, int width, int height) {
        return compute(maps, masks, width, height, DEFAULT_LIMIT);
    }

    /**
     * AUPRO of row-major anomaly maps against ground-truth masks (null = no defect), all
     * {@code width * height} pixels, integrated over FPR in [0, limit] and divided by limit.
     *
     * @param limit integration limit in (0, 1]
     */
    public static double compute(List<float[]> maps, List<boolean[]> masks, int width, int height,
            double limit) {
        if (!(limit > 0 && limit <= 1)) {
            throw new IllegalArgumentException("integration limit must be in (0, 1]: " + limit);
        }
        if (maps.size() != masks.size()) {
            throw new IllegalArgumentException(
                    maps.size() + " maps but " + masks.size() + " masks");
        }
        int pixels = width * height;
        long total = (long) pixels * maps.size();
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pixels: " + total);
        }
        long[] keys = new long[(int) total];
        int[] sizes = new int[16]; // sizes[r] for region r >= 1
        int regions = 0;
        int at = 0;
        for (int k = 0; k < maps.size(); k++) {
            float[] map = maps.get(k);
            boolean[] mask = masks.get(k);
            if (map.length != pixels) {
                throw new IllegalArgumentException("map " + k + " has " + map.length
                        + " pixels, not " + width + " x " + height);
            }
            int[] labels = mask == null ? null : ConnectedComponents.label8(mask, width, height);
            int offset = regions;
            if (labels != null) {
                int n = ConnectedComponents.count(labels);
                regions += n;
                if (regions >= sizes.length) {
                    sizes = Arrays.copyOf(sizes, Math.max(regions + 1, sizes.length * 2));
                }
                for (int label : labels) {
                    if (label != 0) {
                        sizes[offset + label]++;
                    }
                }
            }
            for (int i = 0; i < pixels; i++) {
                float s = map[i];
                if (Float.isNaN(s)) {
                    throw new IllegalArgumentException("NaN score in map " + k);
                }
                int region = labels == null || labels[i] == 0 ? 0 : offset + labels[i];
                keys[at++] = ((long) sortable(s) << 32) | region;
            }
        }
        long background = total;
        for (int r = 1; r <= regions; r++) {
            background -= sizes[r];
        }
        if (regions == 0 || background == 0) {
            return Double.NaN;
        }
        double[] weight = new double[regions + 1]; // 1 / region size
        for (int r = 1; r <= regions; r++) {
            weight[r] = 1.0 / sizes[r];
        }
        Arrays.sort(keys);

        double area = 0;
        double x0 = 0;
        double y0 = 0;
        long falsePositives = 0;
        double overlapSum = 0; // sum over regions of the covered fraction
        int i = keys.length - 1;
        while (i >= 0) {
            int score = (int) (keys[i] >> 32);
            while (i >= 0 && (int) (keys[i] >> 32) == score) {
                int region = (int) keys[i];
                if (region == 0) {
                    falsePositives++;
                } else {
                    overlapSum += weight[region];
                }
                i--;
            }
            double x = (double) falsePositives / background;
            double y = i < 0 ? 1.0 : Math.min(overlapSum / regions, 1.0); // exact at the end
            if (x >= limit) {
                double yLimit = x == limit ? y : y0 + (y - y0) * (limit - x0) / (x - x0);
                area += (limit - x0) * (y0 + yLimit) / 2;
                return area / limit;
            }
            area += (x - x0) * (y0 + y) / 2;
            x0 = x;
            y0 = y;
        }
        throw new AssertionError("the curve always reaches FPR 1");
    }

    /** An int whose signed order is the float's numeric order (-0.0 folded into 0.0). */
    private static int sortable(float s) {
        int bits = Float.floatToIntBits(s + 0.0f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }
}

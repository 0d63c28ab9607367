package ai.dad.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * Scores split by binary label, each class sorted ascending: the common first step of
 * {@link Auroc} and {@link AveragePrecision}. Float scores stay floats (4 bytes a value), so
 * millions of pooled pixels cost no more than one copy of themselves and are never boxed.
 */
abstract class SplitScores {
    /** Number of positive (label true) scores. */
    abstract int positives();

    /** Number of negative (label false) scores. */
    abstract int negatives();

    /** The i-th smallest positive score. */
    abstract double positive(int i);

    /** The i-th smallest negative score. */
    abstract double negative(int i);

    static SplitScores of(float[] scores, boolean[] labels) {
        checkLengths(scores.length, labels.length);
        int p = 0;
        for (boolean label : labels) {
            if (label) {
                p++;
            }
        }
        float[] pos = new float[p];
        float[] neg = new float[scores.length - p];
        int ip = 0;
        int in = 0;
        for (int i = 0; i < scores.length; i++) {
            float s = checked(scores[i]);
            if (labels[i]) {
                pos[ip++] = s;
            } else {
                neg[in++] = s;
            }
        }
        return new Floats(pos, neg);
    }

    static SplitScores of(double[] scores, boolean[] labels) {
        checkLengths(scores.length, labels.length);
        int p = 0;
        for (boolean label : labels) {
            if (label) {
                p++;
            }
        }
        double[] pos = new double[p];
        double[] neg = new double[scores.length - p];
        int ip = 0;
        int in = 0;
        for (int i = 0; i < scores.length; i++) {
            double s = scores[i];
            if (Double.isNaN(s)) {
                throw new IllegalArgumentException("NaN score at index " + i);
            }
            if (labels[i]) {
                pos[ip++] = s + 0.0;
            } else {
                neg[in++] = s + 0.0;
            }
        }
        return new Doubles(pos, neg);
    }

    /**
     * Pools per-image maps without first concatenating them: a pixel is positive where its
     * image's mask is true; a null mask means an all-background image.
     */
    static SplitScores ofMaps(List<float[]> maps, List<boolean[]> masks) {
        if (maps.size() != masks.size()) {
            throw new IllegalArgumentException(
                    maps.size() + " maps but " + masks.size() + " masks");
        }
        long p = 0;
        long total = 0;
        for (int k = 0; k < maps.size(); k++) {
            float[] map = maps.get(k);
            boolean[] mask = masks.get(k);
            total += map.length;
            if (mask != null) {
                checkLengths(map.length, mask.length);
                for (boolean b : mask) {
                    if (b) {
                        p++;
                    }
                }
            }
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many pixels: " + total);
        }
        float[] pos = new float[(int) p];
        float[] neg = new float[(int) (total - p)];
        int ip = 0;
        int in = 0;
        for (int k = 0; k < maps.size(); k++) {
            float[] map = maps.get(k);
            boolean[] mask = masks.get(k);
            for (int i = 0; i < map.length; i++) {
                float s = checked(map[i]);
                if (mask != null && mask[i]) {
                    pos[ip++] = s;
                } else {
                    neg[in++] = s;
                }
            }
        }
        return new Floats(pos, neg);
    }

    private static float checked(float s) {
        if (Float.isNaN(s)) {
            throw new IllegalArgumentException("NaN score");
        }
        return s + 0.0f; // -0.0 becomes 0.0
    }

    private static void checkLengths(int scores, int labels) {
        if (scores != labels) {
            throw new IllegalArgumentException(scores + " scores but " + labels + " labels");
        }
    }

    private static final class Floats extends SplitScores {
        private final float[] pos;
        private final float[] neg;

        Floats(float[] pos, float[] neg) {
            Arrays.sort(pos);
            Arrays.sort(neg);
            this.pos = pos;
            this.neg = neg;
        }

        @Override
        int positives() {
            return pos.length;
        }

        @Override
        int negatives() {
            return neg.length;
        }

        @Override
        double positive(int i) {
            return pos[i];
        }

        @Override
        double negative(int i) {
            return neg[i];
        }
    }

    private static final class Doubles extends SplitScores {
        private final double[] pos;
        private final double[] neg;

        Doubles(double[] pos, double[] neg) {
            Arrays.sort(pos);
            Arrays.sort(neg);
            this.pos = pos;
            this.neg = neg;
        }

        @Override
        int positives() {
            return pos.length;
        }

        @Override
        int negatives() {
            return neg.length;
        }

        @Override
        double positive(int i) {
            return pos[i];
        }

        @Override
        double negative(int i) {
            return neg[i];
        }
    }
}

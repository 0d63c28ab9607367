package ai.dad.metrics;

/**
 * Average precision of scores against binary labels (true = positive), as scikit-learn's
 * {@code average_precision_score}.
 *
 * <p>Exact definition: walk the distinct score values t_1 > t_2 > ... in descending order; at
 * threshold t_k every sample with score >= t_k is predicted positive (so tied samples enter
 * together), giving precision P_k = TP_k / (TP_k + FP_k) and recall R_k = TP_k / P. Then
 * {@code AP = sum_k (R_k - R_(k-1)) * P_k} with R_0 = 0. This is the step-wise (not
 * interpolated, not trapezoid) area under the precision-recall curve.
 *
 * <p>Undefined case: with no positives the result is {@link Double#NaN} (scikit-learn warns and
 * returns a meaningless value). With no negatives it is 1. NaN scores are rejected with
 * {@link IllegalArgumentException}. Cost: O(n log n), primitive sorts, no boxing.
 */
public final class AveragePrecision {
    private AveragePrecision() {}

    /** AP of float scores (e.g. pooled pixels) against labels; NaN without positives. */
    public static double compute(float[] scores, boolean[] labels) {
        return of(SplitScores.of(scores, labels));
    }

    /** AP of double scores against labels; NaN without positives. */
    public static double compute(double[] scores, boolean[] labels) {
        return of(SplitScores.of(scores, labels));
    }

    static double of(SplitScores s) {
        int p = s.positives();
        if (p == 0) {
            return Double.NaN;
        }
        int i = p - 1; // next positive, walking down
        int j = s.negatives() - 1; // next negative, walking down
        long tp = 0;
        long fp = 0;
        double ap = 0;
        while (i >= 0) { // once every positive is in, recall no longer grows
            double t = s.positive(i);
            if (j >= 0 && s.negative(j) > t) {
                t = s.negative(j);
            }
            long newTp = 0;
            while (i >= 0 && s.positive(i) == t) {
                newTp++;
                i--;
            }
            while (j >= 0 && s.negative(j) == t) {
                fp++;
                j--;
            }
            tp += newTp;
            if (newTp > 0) {
                ap += (double) newTp / p * ((double) tp / (tp + fp));
            }
        }
        return ap;
    }
}

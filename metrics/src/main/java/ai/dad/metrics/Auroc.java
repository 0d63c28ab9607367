package ai.dad.metrics;

/**
 * Area under the ROC curve of scores against binary labels (true = anomalous = positive).
 *
 * <p>Exact definition: with P positives and N negatives,
 * {@code AUROC = (#{(p, n) : s_p > s_n} + 0.5 * #{(p, n) : s_p == s_n}) / (P * N)}, the
 * Mann-Whitney U statistic with ties counted one half. This equals the trapezoid-rule area under
 * the ROC curve whose points are taken at every distinct score (tied scores form one diagonal
 * segment), i.e. scikit-learn's {@code roc_auc_score}.
 *
 * <p>Cost: O(n log n) time (two primitive sorts, then one merge) and one float (or double) copy
 * of the scores; no boxing, so millions of pooled pixels are fine.
 *
 * <p>Undefined cases: if all labels are of one class (P == 0 or N == 0) the result is
 * {@link Double#NaN}. NaN scores are rejected with {@link IllegalArgumentException}; -0.0 and 0.0
 * count as tied; infinities are ordinary scores.
 */
public final class Auroc {
    private Auroc() {}

    /** AUROC of float scores (e.g. pooled pixels) against labels; NaN if one class is absent. */
    public static double compute(float[] scores, boolean[] labels) {
        return of(SplitScores.of(scores, labels));
    }

    /** AUROC of double scores (e.g. image scores) against labels; NaN if one class is absent. */
    public static double compute(double[] scores, boolean[] labels) {
        return of(SplitScores.of(scores, labels));
    }

    static double of(SplitScores s) {
        int p = s.positives();
        int n = s.negatives();
        if (p == 0 || n == 0) {
            return Double.NaN;
        }
        // twice U, kept exact in a long: 2 * #greater + #tied, summed over positives
        long twiceU = 0;
        int below = 0; // negatives strictly below the current positive
        int upTo = 0; // negatives below or equal to it
        for (int i = 0; i < p; i++) {
            double v = s.positive(i);
            while (below < n && s.negative(below) < v) {
                below++;
            }
            if (upTo < below) {
                upTo = below;
            }
            while (upTo < n && s.negative(upTo) <= v) {
                upTo++;
            }
            twiceU += 2L * below + (upTo - below);
        }
        return twiceU / (2.0 * p * n);
    }
}

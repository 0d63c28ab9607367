package ai.dad.toolkit.train;

import ai.dad.spi.ModelManifest;
import java.util.Arrays;
import java.util.Locale;

/**
 * Sets the OK/NG threshold and the score normalisation from scores of good images that the
 * model did not train on.
 *
 * <p>Rule: a base value from the good scores, {@code max} (the highest), {@code percentile:P}
 * or {@code sigma:K} (mean + K standard deviations), then a relative margin above it:
 * {@code threshold = base + margin * (base - mean)}. Normalisation maps the mean good score to 0
 * and the threshold to 1: {@code normalized = (score - mean) / (threshold - mean)}.
 */
public final class Calibrator {
    /** The default rule: no held-out good image is rejected, with 10% headroom. */
    public static final String DEFAULT_RULE = "max";
    public static final double DEFAULT_MARGIN = 0.1;

    private Calibrator() {}

    /** Applies {@code rule} and {@code margin} to {@code goodScores} and returns the filled calibration. */
    public static ModelManifest.Calibration fromGoodScores(double[] goodScores, String rule, double margin) {
        if (goodScores.length == 0) {
            throw new IllegalArgumentException("calibration needs at least one good image");
        }
        if (!(margin >= 0) || !Double.isFinite(margin)) {
            throw new IllegalArgumentException("margin must be a non-negative number, got " + margin);
        }
        double[] sorted = goodScores.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElseThrow();
        double std = Math.sqrt(Arrays.stream(sorted).map(s -> (s - mean) * (s - mean)).sum() / sorted.length);
        double base = base(sorted, mean, std, rule);
        // Guard a degenerate spread (all good scores equal) so the scale stays positive.
        double spread = Math.max(base - mean, 1e-6);
        double threshold = mean + spread * (1 + margin);
        ModelManifest.Calibration c = new ModelManifest.Calibration();
        c.threshold = threshold;
        c.center = mean;
        c.scale = threshold - mean;
        c.rule = String.format(Locale.ROOT, "%s + %.0f%% margin over %d good images (mean %.6f, std %.6f, max %.6f)",
                rule, margin * 100, sorted.length, mean, std, sorted[sorted.length - 1]);
        return c;
    }

    private static double base(double[] sorted, double mean, double std, String rule) {
        String[] parts = rule.trim().toLowerCase(Locale.ROOT).split(":", 2);
        return switch (parts[0]) {
            case "max" -> sorted[sorted.length - 1];
            case "percentile" -> percentile(sorted, number(parts, rule));
            case "sigma" -> mean + number(parts, rule) * std;
            default -> throw new IllegalArgumentException(
                    "unknown threshold rule '" + rule + "': use max, percentile:P or sigma:K");
        };
    }

    /** Linear-interpolated percentile (0..100) of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be within 0..100, got " + p);
        }
        double position = p / 100 * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    private static double number(String[] parts, String rule) {
        if (parts.length < 2) {
            throw new IllegalArgumentException("threshold rule '" + rule + "' needs a value, e.g. percentile:99 or sigma:3");
        }
        try {
            return Double.parseDouble(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("threshold rule '" + rule + "' has a bad number", e);
        }
    }
}

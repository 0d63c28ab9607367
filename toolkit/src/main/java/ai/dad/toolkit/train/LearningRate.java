package ai.dad.toolkit.train;

import ai.djl.training.tracker.Tracker;
import java.util.Locale;

/**
 * A learning-rate schedule by name, as {@code bin/dad train --seg-lr-schedule} takes it:
 * {@code constant}, or {@code cosine:T}, PyTorch's CosineAnnealingLR(T_max = T, eta_min = 0)
 * stepped every iteration, which the official code uses for the segmentation network with T = 10.
 * Stepped past T_max that schedule does not stop at 0 but keeps following the cosine, so the rate
 * cycles base -> 0 -> base every 2T steps: lr(i) = base (1 + cos(pi i / T)) / 2 at step i (from 0).
 */
public final class LearningRate {
    private LearningRate() {}

    /**
     * The schedule named {@code spec} with base rate {@code base}, for a run whose first step is
     * {@code firstStep} (non-zero when resuming, so a resumed run continues the cycle).
     */
    public static Tracker parse(String spec, double base, int firstStep) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("constant")) {
            return Tracker.fixed((float) base);
        }
        int period = s.startsWith("cosine:") ? parsePeriod(s.substring("cosine:".length())) : 0;
        if (period > 0) {
            return update -> (float) cosine(base, period, firstStep + update - 1);
        }
        throw new IllegalArgumentException("unknown learning-rate schedule '" + spec + "': use constant or cosine:T (T > 0)");
    }

    private static int parsePeriod(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The rate at step {@code step} (from 0) of the cosine schedule; DJL counts updates from 1. */
    static double cosine(double base, int period, int step) {
        return base * (1 + Math.cos(Math.PI * step / period)) / 2;
    }
}

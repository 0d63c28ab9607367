package ai.dad.djl.schedule;

import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.NoiseScheduleProvider;
import java.util.Map;

/**
 * The cosine schedule of Nichol and Dhariwal (2021): abar(t) follows cos^2 of the time with an
 * offset of 0.008, betas = 1 - abar(t + 1) / abar(t), capped at 0.999 (as in the reference).
 */
public final class CosineScheduleProvider implements NoiseScheduleProvider {
    private static final double OFFSET = 0.008;
    private static final double MAX_BETA = 0.999;

    @Override
    public String name() {
        return "cosine";
    }

    @Override
    public NoiseSchedule create(int steps, Map<String, String> options) {
        double[] betas = new double[steps];
        for (int t = 0; t < steps; t++) {
            double now = f((double) t / steps);
            double next = f((double) (t + 1) / steps);
            betas[t] = Math.min(1 - next / now, MAX_BETA);
        }
        return new NoiseSchedule(name(), betas);
    }

    private static double f(double fraction) {
        double c = Math.cos((fraction + OFFSET) / (1 + OFFSET) * Math.PI / 2);
        return c * c;
    }
}

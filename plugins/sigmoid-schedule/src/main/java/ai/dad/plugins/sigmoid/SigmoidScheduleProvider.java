package ai.dad.plugins.sigmoid;

import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.NoiseScheduleProvider;
import java.util.Map;

/**
 * Sigmoid beta schedule: betas follow a logistic curve from {@code start} to {@code end}
 * (defaults: the linear schedule's 1e-4 and 0.02), so they change slowly at both ends and
 * fastest in the middle. Options: {@code start}, {@code end}, {@code range} (the curve spans
 * [-range, range], default 6).
 */
public final class SigmoidScheduleProvider implements NoiseScheduleProvider {

    @Override
    public String name() {
        return "sigmoid";
    }

    @Override
    public NoiseSchedule create(int steps, Map<String, String> options) {
        double start = Double.parseDouble(options.getOrDefault("start", "1e-4"));
        double end = Double.parseDouble(options.getOrDefault("end", "0.02"));
        double range = Double.parseDouble(options.getOrDefault("range", "6"));
        double[] betas = new double[steps];
        for (int t = 0; t < steps; t++) {
            double x = steps == 1 ? 0 : -range + 2 * range * t / (steps - 1);
            betas[t] = start + (end - start) / (1 + Math.exp(-x));
        }
        return new NoiseSchedule(name(), betas);
    }
}

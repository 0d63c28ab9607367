package ai.dad.djl.schedule;

import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.NoiseScheduleProvider;
import java.util.Map;

/**
 * The paper's schedule: betas evenly spaced from 1e-4 to 0.02 for T = 1000; for other T both
 * ends scale by 1000 / T so that the total amount of noise stays comparable.
 */
public final class LinearScheduleProvider implements NoiseScheduleProvider {

    @Override
    public String name() {
        return "linear";
    }

    @Override
    public NoiseSchedule create(int steps, Map<String, String> options) {
        double scale = 1000.0 / steps;
        double start = scale * 1e-4;
        double end = scale * 0.02;
        double[] betas = new double[steps];
        for (int t = 0; t < steps; t++) {
            betas[t] = steps == 1 ? start : start + (end - start) * t / (steps - 1);
        }
        return new NoiseSchedule(name(), betas);
    }
}

package ai.dad.testplugin;

import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.NoiseScheduleProvider;
import java.util.Arrays;
import java.util.Map;

/**
 * A schedule that PluginsTest packs into a plugin jar of its own; outside the {@code ai.dad.spi}
 * packages, which plugins share with the host, so the plugin loader loads its own copy.
 */
public final class ConstantScheduleProvider implements NoiseScheduleProvider {
    @Override
    public String name() {
        return "constant-test";
    }

    @Override
    public NoiseSchedule create(int steps, Map<String, String> options) {
        double[] betas = new double[steps];
        Arrays.fill(betas, Double.parseDouble(options.getOrDefault("beta", "0.01")));
        return new NoiseSchedule(name(), betas);
    }
}

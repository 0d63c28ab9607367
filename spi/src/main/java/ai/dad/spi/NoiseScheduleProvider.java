package ai.dad.spi;

import java.util.Map;

/** Makes a {@link NoiseSchedule} by name; found with {@link java.util.ServiceLoader}. */
public interface NoiseScheduleProvider {

    /** The name a manifest uses, e.g. {@code "linear"}. */
    String name();

    /**
     * Creates the schedule for {@code steps} diffusion steps.
     *
     * @param options schedule-specific settings from the manifest; unknown keys are ignored
     */
    NoiseSchedule create(int steps, Map<String, String> options);
}

package ai.dad.spi;

import java.util.Locale;

/** How the noisy input is brought back to a normal-looking image. */
public enum ReconstructionMode {
    /** One denoising step at a single t (steps 1 to 3 of DiffusionAD at t). */
    ONE_STEP,
    /** DiffusionAD's norm-guided one-step denoising at t_s guided by t_b. */
    NORM_GUIDED,
    /** Iterative DDPM posterior sampling from t down to 0 (t U-Net calls). */
    DDPM,
    /** Deterministic DDIM from t down to 0 in k evenly spaced steps. */
    DDIM;

    /** Parses {@code one-step}, {@code norm-guided}, {@code ddpm} or {@code ddim}. */
    public static ReconstructionMode parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown reconstruction mode '" + text + "': use one-step, norm-guided, ddpm or ddim");
        }
    }

    /** The name as written in manifests and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}

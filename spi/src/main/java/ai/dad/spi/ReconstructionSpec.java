package ai.dad.spi;

/**
 * Parameters of one reconstruction.
 *
 * @param mode which algorithm
 * @param t the timestep: t_s for norm-guided, the single t for one-step, the start for DDPM/DDIM
 * @param tBig t_b, the larger timestep that guides norm-guided denoising (ignored otherwise)
 * @param w guidance weight of norm-guided denoising (1 in the paper)
 * @param ddimSteps number of DDIM steps (ignored otherwise)
 */
public record ReconstructionSpec(ReconstructionMode mode, int t, int tBig, double w, int ddimSteps) {

    public ReconstructionSpec {
        if (t < 0) {
            throw new IllegalArgumentException("t must be >= 0, got " + t);
        }
        if (mode == ReconstructionMode.NORM_GUIDED && tBig < t) {
            throw new IllegalArgumentException("t_b (" + tBig + ") must be >= t_s (" + t + ")");
        }
        if (mode == ReconstructionMode.DDIM && ddimSteps < 1) {
            throw new IllegalArgumentException("DDIM needs at least 1 step, got " + ddimSteps);
        }
    }

    public static ReconstructionSpec oneStep(int t) {
        return new ReconstructionSpec(ReconstructionMode.ONE_STEP, t, t, 0, 0);
    }

    public static ReconstructionSpec normGuided(int tSmall, int tBig, double w) {
        return new ReconstructionSpec(ReconstructionMode.NORM_GUIDED, tSmall, tBig, w, 0);
    }

    public static ReconstructionSpec ddpm(int t) {
        return new ReconstructionSpec(ReconstructionMode.DDPM, t, t, 0, 0);
    }

    public static ReconstructionSpec ddim(int t, int steps) {
        return new ReconstructionSpec(ReconstructionMode.DDIM, t, t, 0, steps);
    }

    /** The largest timestep this reconstruction touches, to check against the schedule length. */
    public int maxT() {
        return Math.max(t, tBig);
    }
}

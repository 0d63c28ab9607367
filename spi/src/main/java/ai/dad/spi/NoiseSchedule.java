package ai.dad.spi;

/**
 * A diffusion noise schedule: betas for t = 0 .. T-1 and the quantities derived from them.
 * Timesteps are indexed from 0, as in the reference implementation.
 */
public final class NoiseSchedule {
    private final String name;
    private final double[] betas;
    private final double[] alphaBars;

    public NoiseSchedule(String name, double[] betas) {
        if (betas.length == 0) {
            throw new IllegalArgumentException("a schedule needs at least one step");
        }
        this.name = name;
        this.betas = betas.clone();
        this.alphaBars = new double[betas.length];
        double product = 1.0;
        for (int t = 0; t < betas.length; t++) {
            if (!(betas[t] > 0 && betas[t] < 1)) {
                throw new IllegalArgumentException("beta_" + t + " = " + betas[t] + " is outside (0, 1)");
            }
            product *= 1.0 - betas[t];
            alphaBars[t] = product;
        }
    }

    public String name() {
        return name;
    }

    /** T, the number of diffusion steps. */
    public int steps() {
        return betas.length;
    }

    public double beta(int t) {
        return betas[check(t)];
    }

    /** alpha_t = 1 - beta_t. */
    public double alpha(int t) {
        return 1.0 - betas[check(t)];
    }

    /** abar_t = prod_{s <= t} alpha_s. */
    public double alphaBar(int t) {
        return alphaBars[check(t)];
    }

    /** abar_{t-1}, with abar_{-1} = 1. */
    public double alphaBarPrev(int t) {
        return t == 0 ? 1.0 : alphaBars[check(t - 1)];
    }

    private int check(int t) {
        if (t < 0 || t >= betas.length) {
            throw new IllegalArgumentException(
                    "timestep " + t + " is outside the schedule '" + name + "' (0.." + (betas.length - 1) + ")");
        }
        return t;
    }
}

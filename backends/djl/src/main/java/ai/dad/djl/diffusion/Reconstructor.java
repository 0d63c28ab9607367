package ai.dad.djl.diffusion;

import ai.dad.djl.nn.Scoped;
import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.ReconstructionSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/**
 * DiffusionAD's reconstructions of x (N x 3 x H x W) with a noise schedule and a denoiser. All
 * estimates of x0 are clamped to [-1, 1], as in the reference. Noise comes from a
 * {@link NoiseSource}: draws 0 and 1 are n1 and n2, the samplers use 2, 3, ... per step.
 */
public final class Reconstructor {
    private final NoiseSchedule schedule;
    private final Denoiser denoiser;

    public Reconstructor(NoiseSchedule schedule, Denoiser denoiser) {
        this.schedule = schedule;
        this.denoiser = denoiser;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Runs {@code spec} on {@code x}; the result is attached to x's manager. */
    public NDArray reconstruct(NDArray x, ReconstructionSpec spec, NoiseSource noise) {
        if (spec.maxT() >= schedule.steps()) {
            throw new IllegalArgumentException("timestep " + spec.maxT() + " is outside the schedule (T = " + schedule.steps() + ")");
        }
        return Scoped.result(() -> switch (spec.mode()) {
            case ONE_STEP -> oneStep(x, spec.t(), noise);
            case NORM_GUIDED -> normGuided(x, spec.t(), spec.tBig(), spec.w(), noise);
            case DDPM -> ddpm(x, spec.t(), noise);
            case DDIM -> ddim(x, spec.t(), spec.ddimSteps(), noise);
        });
    }

    /** x_t = sqrt(abar_t) x + sqrt(1 - abar_t) n. */
    public NDArray addNoise(NDArray x, int t, NDArray n) {
        return addNoise(x, same(x, t), n);
    }

    /** {@link #addNoise(NDArray, int, NDArray)} with one timestep per sample. */
    public NDArray addNoise(NDArray x, int[] t, NDArray n) {
        NDArray signal = perSample(x, t, s -> Math.sqrt(schedule.alphaBar(s)));
        NDArray noise = perSample(x, t, s -> Math.sqrt(1 - schedule.alphaBar(s)));
        return x.mul(signal).add(n.mul(noise));
    }

    /** x0 = clamp((x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t), -1, 1). */
    public NDArray predictX0(NDArray xt, int t, NDArray eps) {
        return predictX0(xt, same(xt, t), eps);
    }

    /** {@link #predictX0(NDArray, int, NDArray)} with one timestep per sample. */
    public NDArray predictX0(NDArray xt, int[] t, NDArray eps) {
        NDArray noise = perSample(xt, t, s -> Math.sqrt(1 - schedule.alphaBar(s)));
        NDArray signal = perSample(xt, t, s -> Math.sqrt(schedule.alphaBar(s)));
        return xt.sub(eps.mul(noise)).div(signal).clip(-1, 1);
    }

    NDArray oneStep(NDArray x, int t, NoiseSource noise) {
        NDArray xt = addNoise(x, t, draw(noise, x, 0));
        return predictX0(xt, t, denoise(xt, t));
    }

    NDArray normGuided(NDArray x, int ts, int tb, double w, NoiseSource noise) {
        return normGuided(x, same(x, ts), same(x, tb), w, draw(noise, x, 0), draw(noise, x, 1)).reconstruction();
    }

    /**
     * Norm-guided one-step denoising with one (t_s, t_b) pair per sample, as training samples
     * them. Both U-Net passes (x_s at t_s, x_b at t_b) run as one forward of 2N images:
     * <ol>
     * <li>x_s = q(x, t_s, n1), x_b = q(x, t_b, n2)
     * <li>[e_s, e_b] = eps([x_s, x_b], [t_s, t_b])
     * <li>x0_b = clamp((x_b - sqrt(1 - abar_b) e_b) / sqrt(abar_b))
     * <li>m = sqrt(abar_s) x0_b + sqrt(1 - abar_s) e_s
     * <li>e_hat = e_s - sqrt(1 - abar_s) w (m - x_s)
     * <li>x0 = clamp((x_s - sqrt(1 - abar_s) e_hat) / sqrt(abar_s))
     * </ol>
     */
    public NormGuided normGuided(NDArray x, int[] ts, int[] tb, double w, NDArray n1, NDArray n2) {
        NDArray xs = addNoise(x, ts, n1);
        NDArray xb = addNoise(x, tb, n2);
        int[] both = IntStream.concat(Arrays.stream(ts), Arrays.stream(tb)).toArray();
        NDList split = denoiser.predictNoise(xs.concat(xb, 0), timesteps(x.getManager(), both)).split(2, 0);
        NDArray es = split.get(0);
        NDArray eb = split.get(1);
        NDArray x0b = predictX0(xb, tb, eb);
        NDArray sqrtOneMinus = perSample(x, ts, s -> Math.sqrt(1 - schedule.alphaBar(s)));
        NDArray m = x0b.mul(perSample(x, ts, s -> Math.sqrt(schedule.alphaBar(s)))).add(es.mul(sqrtOneMinus));
        NDArray guided = es.sub(m.sub(xs).mul(sqrtOneMinus).mul(w));
        return new NormGuided(predictX0(xs, ts, guided), es, eb);
    }

    /** The reconstruction and the two noise predictions it was made from (the training loss needs them). */
    public record NormGuided(NDArray reconstruction, NDArray epsSmall, NDArray epsBig) {}

    /**
     * Iterative DDPM: x is noised to step t-1, then t posterior sampling steps down to 0
     * (t U-Net calls, as the reference's forward_backward with t_distance = t). The variance is
     * the reference's fixed beta_t; the last step adds no noise.
     */
    NDArray ddpm(NDArray x, int t, NoiseSource noise) {
        if (t < 1) {
            throw new IllegalArgumentException("DDPM needs t >= 1, got " + t);
        }
        NDArray sample = addNoise(x, t - 1, draw(noise, x, 0));
        for (int s = t - 1; s >= 0; s--) {
            NDArray next = ddpmStep(x, sample, s, noise, 2 + (t - 1 - s));
            sample.close();
            sample = next;
        }
        return sample;
    }

    /** One posterior sampling step from step s, with noise draw number {@code drawIndex} (none at s = 0). */
    private NDArray ddpmStep(NDArray x, NDArray sample, int s, NoiseSource noise, int drawIndex) {
        return Scoped.result(() -> {
            NDArray x0 = predictX0(sample, s, denoise(sample, s));
            double abar = schedule.alphaBar(s);
            double abarPrev = schedule.alphaBarPrev(s);
            double coef1 = schedule.beta(s) * Math.sqrt(abarPrev) / (1 - abar);
            double coef2 = (1 - abarPrev) * Math.sqrt(schedule.alpha(s)) / (1 - abar);
            NDArray next = x0.mul(coef1).add(sample.mul(coef2));
            return s == 0 ? next : next.add(draw(noise, x, drawIndex).mul(Math.sqrt(schedule.beta(s))));
        });
    }

    /** Deterministic DDIM (eta = 0): x noised to t, then k steps at t, t(k-1)/k, ..., t/k. */
    NDArray ddim(NDArray x, int t, int k, NoiseSource noise) {
        int[] steps = ddimTimesteps(t, k);
        NDArray sample = addNoise(x, t, draw(noise, x, 0));
        for (int i = 0; i < steps.length; i++) {
            NDArray next = ddimStep(sample, steps[i], i + 1 < steps.length ? schedule.alphaBar(steps[i + 1]) : 1.0);
            sample.close();
            sample = next;
        }
        return sample;
    }

    /** One deterministic DDIM step from step s to the step whose alpha-bar is {@code abarPrev}. */
    private NDArray ddimStep(NDArray sample, int s, double abarPrev) {
        return Scoped.result(() -> {
            NDArray eps = denoise(sample, s);
            NDArray x0 = predictX0(sample, s, eps);
            return x0.mul(Math.sqrt(abarPrev)).add(eps.mul(Math.sqrt(1 - abarPrev)));
        });
    }

    /** The k DDIM timesteps from t down, evenly spaced, duplicates removed. */
    static int[] ddimTimesteps(int t, int k) {
        return IntStream.range(0, k)
                .map(i -> (int) Math.round((double) t * (k - i) / k))
                .distinct()
                .toArray();
    }

    private NDArray denoise(NDArray xt, int t) {
        return denoiser.predictNoise(xt, timesteps(xt.getManager(), same(xt, t)));
    }

    private static NDArray timesteps(NDManager manager, int[] t) {
        return manager.create(Arrays.stream(t).asLongStream().toArray());
    }

    /** The same timestep for every sample of x. */
    private static int[] same(NDArray x, int t) {
        int[] all = new int[Math.toIntExact(x.getShape().get(0))];
        Arrays.fill(all, t);
        return all;
    }

    /** f(t_i) per sample, shaped N x 1 x 1 x 1 to broadcast over images. */
    private static NDArray perSample(NDArray x, int[] t, IntToDoubleFunction f) {
        float[] values = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            values[i] = (float) f.applyAsDouble(t[i]);
        }
        return x.getManager().create(values, new Shape(t.length, 1, 1, 1));
    }

    private static NDArray draw(NoiseSource noise, NDArray x, int index) {
        Shape shape = x.getShape();
        NDArray drawn = noise.draw(x.getManager(), shape.get(0), shape.slice(1), index);
        return drawn.getDataType() == DataType.FLOAT32 ? drawn : drawn.toType(DataType.FLOAT32, false);
    }
}

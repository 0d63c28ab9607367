package ai.dad.toolkit.train;

import ai.djl.ndarray.NDArray;

/** DiffusionAD's training losses. Maps and masks are N x 1 x H x W in [0, 1]. */
public final class Losses {
    /** Keeps log() finite where the segmentation net saturates at 0 or 1. */
    private static final float EPSILON = 1e-6f;

    private Losses() {}

    /**
     * Binary focal loss (alpha 0.5, gamma 4 in the paper), averaged over pixels:
     * alpha (1 - p_t)^gamma BCE with p_t = exp(-BCE).
     */
    public static NDArray focal(NDArray prediction, NDArray target, double alpha, double gamma) {
        NDArray p = prediction.clip(EPSILON, 1 - EPSILON);
        NDArray bce = target.mul(p.log()).add(target.neg().add(1).mul(p.neg().add(1).log())).neg();
        NDArray pt = bce.neg().exp();
        return pt.neg().add(1).pow(gamma).mul(bce).mul(alpha).mean();
    }

    /**
     * Smooth L1 with beta 1, averaged over pixels. Prediction and target both lie in [0, 1], so
     * |d| <= 1 and the loss is exactly 0.5 d^2 everywhere (at |d| = 1 both branches give 0.5).
     */
    public static NDArray smoothL1(NDArray prediction, NDArray target) {
        return prediction.sub(target).square().mul(0.5).mean();
    }

    /**
     * Noise loss of norm-guided training: per sample, MSE(e_s, n1) + MSE(e_b, n2), averaged
     * over the clean samples only ({@code clean} is 1 for clean, 0 for synthesised anomalies);
     * 0 when the batch has no clean sample.
     */
    public static NDArray noise(NDArray epsSmall, NDArray n1, NDArray epsBig, NDArray n2, NDArray clean) {
        NDArray perSample = perSampleMse(epsSmall, n1).add(perSampleMse(epsBig, n2));
        float count = clean.sum().getFloat();
        return perSample.mul(clean).sum().div(Math.max(count, 1f));
    }

    private static NDArray perSampleMse(NDArray prediction, NDArray target) {
        long n = prediction.getShape().get(0);
        return prediction.sub(target).square().reshape(n, -1).mean(new int[] {1});
    }
}

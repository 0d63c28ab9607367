package ai.dad.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Re-draws the weights of fresh networks the way PyTorch initialises its layers, which is how
 * the official DiffusionAD networks start: every convolution and linear layer gets weight and
 * bias uniform in +-1/sqrt(fan_in) (PyTorch's kaiming_uniform with a = sqrt(5), and its bias
 * rule), where fan_in = input channels x kernel size. DJL's default (Xavier, Gaussian,
 * magnitude 2) starts about 2.45 times larger, and measurably slower to train
 * (docs/ACCURACY.md). Normalisation layers keep scale 1 and shift 0 as in both libraries.
 *
 * <p>Layers that start at zero on purpose (the U-Net's output convolutions, see
 * {@link Layers#zeroed}) are recognised by their all-zero weight and left at zero.
 */
public final class TorchDefaultInit {
    private TorchDefaultInit() {}

    /**
     * Applies the rule to every layer under {@code block}, which must be initialised; the draws
     * come from the engine's random generator, so a seeded engine gives the same weights.
     */
    public static void apply(Block block) {
        Parameter weight = null;
        Parameter bias = null;
        for (Pair<String, Parameter> entry : block.getDirectParameters()) {
            Parameter p = entry.getValue();
            if (p.getType() == Parameter.Type.WEIGHT && p.getArray().getShape().dimension() >= 2) {
                weight = p;
            } else if (p.getType() == Parameter.Type.BIAS) {
                bias = p;
            }
        }
        if (weight != null && !isZero(weight.getArray())) {
            double bound = bound(weight.getArray().getShape());
            redraw(weight.getArray(), bound);
            if (bias != null) {
                redraw(bias.getArray(), bound);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            apply(child.getValue());
        }
    }

    /** The bound PyTorch uses for a layer whose weight has {@code shape} (out x in x kernel...). */
    public static double bound(Shape weightShape) {
        return 1 / Math.sqrt(weightShape.size() / weightShape.get(0));
    }

    private static boolean isZero(NDArray array) {
        try (NDArray abs = array.abs(); NDArray max = abs.max()) {
            return max.getFloat() == 0f;
        }
    }

    private static void redraw(NDArray array, double bound) {
        try (NDArray fresh = array.getManager().randomUniform((float) -bound, (float) bound, array.getShape(),
                array.getDataType(), array.getDevice())) {
            fresh.copyTo(array);
        }
    }
}

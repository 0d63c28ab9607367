package ai.dad.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** Tensor operations the networks need that DJL does not offer as blocks. */
public final class Ops {
    // Mode numbers of torch::nn::functional::interpolate as exposed by DJL's JNI.
    private static final int NEAREST = 0;
    private static final int BILINEAR = 2;

    private Ops() {}

    /** SiLU (swish): x * sigmoid(x). */
    public static NDArray silu(NDArray x) {
        return silu(x, true);
    }

    /**
     * SiLU; outside training ({@code training} false: the blocks' inference forward, where no
     * gradient is recorded) the product is written into the fresh sigmoid array instead of a
     * third one. In training autograd needs the sigmoid's output as it was.
     */
    public static NDArray silu(NDArray x, boolean training) {
        NDArray sigmoid = Activation.sigmoid(x);
        if (!training) {
            return sigmoid.muli(x);
        }
        try (sigmoid) {
            return x.mul(sigmoid);
        }
    }

    /** Nearest-neighbour 2x up-sampling of an N x C x H x W array. */
    public static NDArray upsampleNearest(NDArray x) {
        return interpolate(x, NEAREST, false);
    }

    /** Bilinear 2x up-sampling with align_corners=True, as the segmentation decoder uses. */
    public static NDArray upsampleBilinearAligned(NDArray x) {
        return interpolate(x, BILINEAR, true);
    }

    private static NDArray interpolate(NDArray x, int mode, boolean alignCorners) {
        Shape s = x.getShape();
        long[] size = {s.get(2) * 2, s.get(3) * 2};
        return JniUtils.interpolate((PtNDArray) x, size, mode, alignCorners);
    }
}

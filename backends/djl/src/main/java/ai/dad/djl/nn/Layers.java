package ai.dad.djl.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;

/** Factories for the plain layers the networks are made of, with PyTorch's shapes. */
final class Layers {
    private Layers() {}

    /** 3x3 convolution with padding 1 (same size), with bias. */
    static Conv2d conv3x3(int outChannels) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                .setFilters(outChannels).build();
    }

    /** 1x1 convolution, with bias. */
    static Conv2d conv1x1(int outChannels) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(outChannels).build();
    }

    /** 1-wide 1-d convolution over N x C x L, i.e. a per-position linear map, with bias. */
    static Conv1d pointwise1d(int outChannels) {
        return Conv1d.builder().setKernelShape(new Shape(1)).setFilters(outChannels).build();
    }

    static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    /**
     * Zero-initialises every parameter of {@code block}: guided-diffusion starts residual
     * branches at zero so each block begins as the identity.
     */
    static <B extends Block> B zeroed(B block) {
        block.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
        return block;
    }
}

package ai.dad.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Guided-diffusion residual block. Input: (x {@code N x in x H x W}, time embedding
 * {@code N x E}); output {@code N x out x H' x W'}, where H' is H, H/2 or 2H by {@link Resample}.
 *
 * <pre>
 * h = conv3x3(resample(SiLU(GN(x)))) + Linear(SiLU(emb))      (per channel)
 * h = zero_conv3x3(dropout(SiLU(GN(h))))
 * out = skip(resample(x)) + h                                  (skip = 1x1 conv if in != out)
 * </pre>
 */
public final class ResBlock extends AbstractBlock {
    private final int inChannels;
    private final int outChannels;
    private final Resample resample;
    private final Block inNorm;
    private final Block inConv;
    private final Block embLinear;
    private final Block outNorm;
    private final Block dropout;
    private final Block outConv;
    private final Block skip;

    public ResBlock(int inChannels, int outChannels, int embedDim, double dropoutRate, Resample resample) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.resample = resample;
        this.inNorm = addChildBlock("in_norm", new GroupNorm(32, inChannels));
        this.inConv = addChildBlock("in_conv", Layers.conv3x3(outChannels));
        this.embLinear = addChildBlock("emb_linear", Layers.linear(outChannels));
        this.outNorm = addChildBlock("out_norm", new GroupNorm(32, outChannels));
        this.dropout = dropoutRate > 0
                ? addChildBlock("dropout", Dropout.builder().optRate((float) dropoutRate).build())
                : null;
        this.outConv = addChildBlock("out_conv", Layers.zeroed(Layers.conv3x3(outChannels)));
        this.skip = inChannels == outChannels ? null : addChildBlock("skip", Layers.conv1x1(outChannels));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray emb = inputs.get(1);
        return new NDList(Scoped.result(() -> {
            NDArray h = Ops.silu(inNorm.forward(ps, new NDList(x), training).singletonOrThrow(), training);
            h = resample.apply(h);
            NDArray xr = resample.apply(x);
            h = inConv.forward(ps, new NDList(h), training).singletonOrThrow();
            NDArray e = embLinear.forward(ps, new NDList(Ops.silu(emb, training)), training).singletonOrThrow();
            h = h.add(e.reshape(e.getShape().get(0), outChannels, 1, 1));
            h = Ops.silu(outNorm.forward(ps, new NDList(h), training).singletonOrThrow(), training);
            if (dropout != null) {
                h = dropout.forward(ps, new NDList(h), training).singletonOrThrow();
            }
            h = outConv.forward(ps, new NDList(h), training).singletonOrThrow();
            NDArray shortcut = skip == null ? xr : skip.forward(ps, new NDList(xr), training).singletonOrThrow();
            return shortcut.add(h);
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = resample.apply(inputShapes[0]);
        return new Shape[] {new Shape(x.get(0), outChannels, x.get(2), x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape resampled = resample.apply(x);
        Shape out = getOutputShapes(inputShapes)[0];
        inNorm.initialize(manager, dataType, x);
        inConv.initialize(manager, dataType, resampled);
        embLinear.initialize(manager, dataType, inputShapes[1]);
        outNorm.initialize(manager, dataType, out);
        if (dropout != null) {
            dropout.initialize(manager, dataType, out);
        }
        outConv.initialize(manager, dataType, out);
        if (skip != null) {
            skip.initialize(manager, dataType, resampled);
        }
    }

    int inChannels() {
        return inChannels;
    }
}

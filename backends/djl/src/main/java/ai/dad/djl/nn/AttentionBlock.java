package ai.dad.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention over all spatial positions, with a residual connection:
 * {@code x + zero_proj(attention(qkv(GN(x))))}. Per head the qkv channels are laid out
 * [q|k|v]; q and k are each scaled by ch^-1/4 (steadier than dividing the product afterwards).
 */
public final class AttentionBlock extends AbstractBlock {
    private final int channels;
    private final int heads;
    private final Block norm;
    private final Block qkv;
    private final Block proj;

    public AttentionBlock(int channels, int heads) {
        if (channels % heads != 0) {
            throw new IllegalArgumentException(channels + " channels cannot be split into " + heads + " heads");
        }
        this.channels = channels;
        this.heads = heads;
        this.norm = addChildBlock("norm", new GroupNorm(32, channels));
        this.qkv = addChildBlock("qkv", Layers.pointwise1d(channels * 3));
        this.proj = addChildBlock("proj", Layers.zeroed(Layers.pointwise1d(channels)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape shape = x.getShape();
        long n = shape.get(0);
        long length = shape.get(2) * shape.get(3);
        long headChannels = channels / heads;
        return new NDList(Scoped.result(() -> {
            NDArray flat = x.reshape(n, channels, length);
            NDArray qkvOut = qkv.forward(ps, norm.forward(ps, new NDList(flat), training), training).singletonOrThrow();
            NDList parts = qkvOut.reshape(n * heads, headChannels * 3, length).split(3, 1);
            double scale = 1.0 / Math.sqrt(Math.sqrt(headChannels));
            NDArray q = parts.get(0).mul(scale);
            NDArray k = parts.get(1).mul(scale);
            NDArray logits = q.transpose(0, 2, 1).matMul(k); // [b, t, s]
            // The softmax in float32 at any precision, as the official code does; no-ops in float32.
            NDArray weights = logits.toType(DataType.FLOAT32, false).softmax(-1).toType(logits.getDataType(), false);
            NDArray attended = parts.get(2).matMul(weights.transpose(0, 2, 1)); // [b, c, t]
            NDArray h = proj.forward(ps, new NDList(attended.reshape(n, channels, length)), training).singletonOrThrow();
            return flat.add(h).reshape(shape);
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape flat = new Shape(x.get(0), channels, x.get(2) * x.get(3));
        norm.initialize(manager, dataType, flat);
        qkv.initialize(manager, dataType, flat);
        proj.initialize(manager, dataType, flat);
    }
}

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
 * Timestep embedding: sinusoidal features of t (dim = base channels; sin half then cos half,
 * frequencies 10000^(-i/half)) -> Linear(4 base) -> SiLU -> Linear(4 base). Input: t as
 * {@code N} integers or floats; output {@code N x 4 base}.
 */
final class TimeEmbedding extends AbstractBlock {
    private final int dim;
    private final Block first;
    private final Block second;

    TimeEmbedding(int dim) {
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("time embedding dimension must be even, got " + dim);
        }
        this.dim = dim;
        this.first = addChildBlock("linear1", Layers.linear(4 * dim));
        this.second = addChildBlock("linear2", Layers.linear(4 * dim));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray t = inputs.singletonOrThrow();
        return new NDList(Scoped.result(() -> {
            int half = dim / 2;
            NDManager manager = t.getManager();
            NDArray freqs = manager.arange(half).toType(DataType.FLOAT32, false)
                    .mul(-Math.log(10000.0) / half).exp().toDevice(t.getDevice(), false);
            NDArray args = t.toType(DataType.FLOAT32, false).reshape(-1, 1).mul(freqs.reshape(1, half));
            // In the weights' number format (lower than float32 when the networks compute in one).
            DataType weights = ps.getValue(first.getParameters().get("weight"), t.getDevice(), training).getDataType();
            NDArray features = args.sin().concat(args.cos(), 1).toType(weights, false);
            NDArray h = first.forward(ps, new NDList(features), training).singletonOrThrow();
            return second.forward(ps, new NDList(Ops.silu(h, training)), training).singletonOrThrow();
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 4L * dim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        first.initialize(manager, dataType, new Shape(n, dim));
        second.initialize(manager, dataType, new Shape(n, 4L * dim));
    }
}

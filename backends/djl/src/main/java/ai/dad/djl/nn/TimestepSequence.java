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
 * Blocks applied in order to (x, time embedding): {@link ResBlock}s receive the embedding,
 * every other block sees x only. Output: the new x.
 */
final class TimestepSequence extends AbstractBlock {

    TimestepSequence add(Block block) {
        addChildBlock(block.getClass().getSimpleName(), block);
        return this;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.get(0);
        NDArray emb = inputs.get(1);
        NDArray h = input;
        for (Block child : getChildren().values()) {
            NDList in = child instanceof ResBlock ? new NDList(h, emb) : new NDList(h);
            NDArray next = child.forward(ps, in, training).singletonOrThrow();
            if (h != input && h != next) {
                h.close(); // an intermediate of this sequence, used up (autograd keeps what it needs)
            }
            h = next;
        }
        return new NDList(h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape h = inputShapes[0];
        for (Block child : getChildren().values()) {
            h = child.getOutputShapes(inputsFor(child, h, inputShapes[1]))[0];
        }
        return new Shape[] {h};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape h = inputShapes[0];
        for (Block child : getChildren().values()) {
            Shape[] in = inputsFor(child, h, inputShapes[1]);
            child.initialize(manager, dataType, in);
            h = child.getOutputShapes(in)[0];
        }
    }

    private static Shape[] inputsFor(Block child, Shape h, Shape emb) {
        return child instanceof ResBlock ? new Shape[] {h, emb} : new Shape[] {h};
    }
}

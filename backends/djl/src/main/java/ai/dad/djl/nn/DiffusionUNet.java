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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The noise-predicting U-Net eps_theta(x_t, t) of DiffusionAD's reconstruction sub-network, in
 * the guided-diffusion layout: an input conv, {@code resBlocks} ResBlocks per level (with
 * attention where configured) and a BigGAN down-sampling ResBlock between levels; a middle of
 * ResBlock-attention-ResBlock; a mirrored way up with skip concatenation, {@code resBlocks + 1}
 * ResBlocks per level and BigGAN up-sampling; then GroupNorm, SiLU and a zero-initialised conv.
 *
 * <p>Input: (x {@code N x 3 x H x W}, t {@code N}); output: predicted noise {@code N x 3 x H x W}.
 */
public final class DiffusionUNet extends AbstractBlock {
    private final TimeEmbedding timeEmbedding;
    private final List<TimestepSequence> down = new ArrayList<>();
    private final TimestepSequence middle;
    private final List<TimestepSequence> up = new ArrayList<>();
    private final Block outNorm;
    private final Block outConv;

    public DiffusionUNet(UNetConfig config) {
        int base = config.base();
        int embedDim = 4 * base;
        List<Integer> mults = config.channelMults();
        timeEmbedding = addChildBlock("time_embedding", new TimeEmbedding(base));

        Deque<Integer> skipChannels = new ArrayDeque<>();
        int ch = base;
        down.add(addChildBlock("down0", new TimestepSequence().add(Layers.conv3x3(base))));
        skipChannels.push(ch);
        int ds = 1;
        for (int level = 0; level < mults.size(); level++) {
            int width = base * mults.get(level);
            for (int i = 0; i < config.resBlocks(); i++) {
                TimestepSequence seq = new TimestepSequence().add(new ResBlock(ch, width, embedDim, config.dropout(), Resample.NONE));
                ch = width;
                if (config.attentionAt(ds)) {
                    seq.add(new AttentionBlock(ch, config.headsFor(ch)));
                }
                down.add(addChildBlock("down" + down.size(), seq));
                skipChannels.push(ch);
            }
            if (level != mults.size() - 1) {
                down.add(addChildBlock("down" + down.size(),
                        new TimestepSequence().add(new ResBlock(ch, ch, embedDim, config.dropout(), Resample.DOWN))));
                ds *= 2;
                skipChannels.push(ch);
            }
        }

        middle = addChildBlock("middle", new TimestepSequence()
                .add(new ResBlock(ch, ch, embedDim, config.dropout(), Resample.NONE))
                .add(new AttentionBlock(ch, config.headsFor(ch)))
                .add(new ResBlock(ch, ch, embedDim, config.dropout(), Resample.NONE)));

        for (int level = mults.size() - 1; level >= 0; level--) {
            int width = base * mults.get(level);
            for (int i = 0; i <= config.resBlocks(); i++) {
                TimestepSequence seq = new TimestepSequence()
                        .add(new ResBlock(ch + skipChannels.pop(), width, embedDim, config.dropout(), Resample.NONE));
                ch = width;
                if (config.attentionAt(ds)) {
                    seq.add(new AttentionBlock(ch, config.headsFor(ch)));
                }
                if (level > 0 && i == config.resBlocks()) {
                    seq.add(new ResBlock(ch, ch, embedDim, config.dropout(), Resample.UP));
                    ds /= 2;
                }
                up.add(addChildBlock("up" + up.size(), seq));
            }
        }
        outNorm = addChildBlock("out_norm", new GroupNorm(32, ch));
        outConv = addChildBlock("out_conv", Layers.zeroed(Layers.conv3x3(3)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // Intermediate arrays are closed as soon as they are used (closing only drops this
        // handle: autograd keeps what it needs), so the peak is the skips plus a few arrays
        // rather than every array of the pass; the scope catches the rest.
        return new NDList(Scoped.result(() -> {
            NDArray emb = timeEmbedding.forward(ps, new NDList(inputs.get(1)), training).singletonOrThrow();
            Deque<NDArray> skips = new ArrayDeque<>();
            NDArray h = inputs.get(0);
            for (TimestepSequence module : down) {
                h = module.forward(ps, new NDList(h, emb), training).singletonOrThrow();
                skips.push(h);
            }
            h = middle.forward(ps, new NDList(h, emb), training).singletonOrThrow(); // its input stays a skip
            for (TimestepSequence module : up) {
                NDArray skip = skips.pop();
                NDArray joined = h.concat(skip, 1);
                skip.close();
                h.close(); // the middle's or the previous level's output, never a skip
                h = module.forward(ps, new NDList(joined, emb), training).singletonOrThrow();
                joined.close();
            }
            NDArray normalised = outNorm.forward(ps, new NDList(h), training).singletonOrThrow();
            h.close();
            NDArray activated = Ops.silu(normalised, training);
            normalised.close();
            NDArray out = outConv.forward(ps, new NDList(activated), training).singletonOrThrow();
            activated.close();
            return out;
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape t = inputShapes[1];
        timeEmbedding.initialize(manager, dataType, t);
        Shape emb = timeEmbedding.getOutputShapes(new Shape[] {t})[0];
        Deque<Shape> skips = new ArrayDeque<>();
        Shape h = inputShapes[0];
        for (TimestepSequence module : down) {
            h = initialize(module, manager, dataType, h, emb);
            skips.push(h);
        }
        h = initialize(middle, manager, dataType, h, emb);
        for (TimestepSequence module : up) {
            Shape skip = skips.pop();
            Shape joined = new Shape(h.get(0), h.get(1) + skip.get(1), h.get(2), h.get(3));
            h = initialize(module, manager, dataType, joined, emb);
        }
        outNorm.initialize(manager, dataType, h);
        outConv.initialize(manager, dataType, h);
    }

    private static Shape initialize(Block block, NDManager manager, DataType dataType, Shape h, Shape emb) {
        block.initialize(manager, dataType, h, emb);
        return block.getOutputShapes(new Shape[] {h, emb})[0];
    }
}

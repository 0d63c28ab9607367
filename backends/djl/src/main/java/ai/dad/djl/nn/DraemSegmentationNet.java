package ai.dad.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DiffusionAD's segmentation sub-network, DRAEM-style: an encoder of six double conv-BN-ReLU
 * blocks (widths b, 2b, 4b, 8b, 8b, 8b) with 2x max-pooling between them, and a decoder that
 * up-samples bilinearly (align_corners), convolves, concatenates the encoder's skip and applies
 * two conv-BN-ReLU, five times; a final 3x3 conv to one channel and a sigmoid.
 *
 * <p>Input: {@code N x inChannels x H x W} (H, W multiples of 32); output: {@code N x 1 x H x W}.
 */
public final class DraemSegmentationNet extends AbstractBlock {
    private static final int[] ENCODER_MULTS = {1, 2, 4, 8, 8, 8};
    private static final int[] DECODER_MULTS = {8, 4, 2, 1, 1};

    private final Block[] encoder = new Block[ENCODER_MULTS.length];
    private final Block[] upConv = new Block[DECODER_MULTS.length];
    private final Block[] decoder = new Block[DECODER_MULTS.length];
    private final Block finalConv;

    public DraemSegmentationNet(int baseChannels) {
        for (int i = 0; i < encoder.length; i++) {
            encoder[i] = addChildBlock("enc" + (i + 1), ConvBnRelu.twice(baseChannels * ENCODER_MULTS[i]));
        }
        for (int i = 0; i < decoder.length; i++) {
            upConv[i] = addChildBlock("up" + (i + 1), ConvBnRelu.once(baseChannels * DECODER_MULTS[i]));
            decoder[i] = addChildBlock("dec" + (i + 1), ConvBnRelu.twice(baseChannels * DECODER_MULTS[i]));
        }
        finalConv = addChildBlock("final", Layers.conv3x3(1));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        // Intermediate arrays are closed as soon as they are used (closing only drops this
        // handle: autograd keeps what it needs), so the peak is the skip features plus a few
        // arrays rather than every array of the pass; the scope catches the rest.
        return new NDList(Scoped.result(() -> {
            NDArray[] features = new NDArray[encoder.length];
            NDArray h = inputs.singletonOrThrow();
            for (int i = 0; i < encoder.length; i++) {
                if (i > 0) {
                    NDArray pooled = Pool.maxPool2d(h, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
                    h = encoder[i].forward(ps, new NDList(pooled), training).singletonOrThrow();
                    pooled.close();
                } else {
                    h = encoder[i].forward(ps, new NDList(h), training).singletonOrThrow();
                }
                features[i] = h;
            }
            for (int i = 0; i < decoder.length; i++) {
                NDArray upsampled = Ops.upsampleBilinearAligned(h);
                h.close(); // the deepest feature (never a skip) or a decoder output
                NDArray u = upConv[i].forward(ps, new NDList(upsampled), training).singletonOrThrow();
                upsampled.close();
                NDArray skip = features[encoder.length - 2 - i];
                NDArray joined = u.concat(skip, 1);
                u.close();
                skip.close();
                h = decoder[i].forward(ps, new NDList(joined), training).singletonOrThrow();
                joined.close();
            }
            NDArray logits = finalConv.forward(ps, new NDList(h), training).singletonOrThrow();
            h.close();
            NDArray out = Activation.sigmoid(logits);
            logits.close();
            return out;
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape x = inputShapes[0];
        return new Shape[] {new Shape(x.get(0), 1, x.get(2), x.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] features = new Shape[encoder.length];
        Shape h = inputShapes[0];
        for (int i = 0; i < encoder.length; i++) {
            if (i > 0) {
                h = new Shape(h.get(0), h.get(1), h.get(2) / 2, h.get(3) / 2);
            }
            h = initialize(encoder[i], manager, dataType, h);
            features[i] = h;
        }
        for (int i = 0; i < decoder.length; i++) {
            Shape upsampled = new Shape(h.get(0), h.get(1), h.get(2) * 2, h.get(3) * 2);
            Shape u = initialize(upConv[i], manager, dataType, upsampled);
            Shape skip = features[encoder.length - 2 - i];
            h = initialize(decoder[i], manager, dataType, new Shape(u.get(0), u.get(1) + skip.get(1), u.get(2), u.get(3)));
        }
        finalConv.initialize(manager, dataType, h);
    }

    private static Shape initialize(Block block, NDManager manager, DataType dataType, Shape input) {
        block.initialize(manager, dataType, input);
        return block.getOutputShapes(new Shape[] {input})[0];
    }
}

package ai.dad.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * Group normalisation (Wu and He, 2018) over N x C x ... inputs, with a learned per-channel
 * scale and shift; DJL has no such block. Statistics are computed in float32 over each group of
 * C / groups channels and all spatial positions, epsilon 1e-5, as torch.nn.GroupNorm; inputs of
 * a lower precision are normalised in float32 and the result converted back.
 *
 * <p>At inference (no gradient recorded) the division, scale and shift are done in place on
 * the one centred copy, so a call allocates two input-sized arrays instead of five. (Routing it
 * through PyTorch's batch norm, one native call on the input viewed as 1 x (N groups) x rest,
 * measured no faster on the CPU: docs/PERFORMANCE.md.)
 */
public final class GroupNorm extends AbstractBlock {
    private static final float EPSILON = 1e-5f;

    private final int groups;
    private final int channels;
    private final Parameter gamma;
    private final Parameter beta;

    public GroupNorm(int groups, int channels) {
        if (channels % groups != 0) {
            throw new IllegalArgumentException(channels + " channels cannot be split into " + groups + " groups");
        }
        this.groups = groups;
        this.channels = channels;
        this.gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(channels)).build());
        this.beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA)
                .optShape(new Shape(channels)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Shape shape = input.getShape();
        DataType type = input.getDataType();
        return new NDList(Scoped.result(() -> {
            // In float32 whatever the networks' precision, as the official GroupNorm32; no-ops in float32.
            NDArray x = input.toType(DataType.FLOAT32, false);
            NDArray g = store.getValue(gamma, input.getDevice(), training).toType(DataType.FLOAT32, false);
            NDArray b = store.getValue(beta, input.getDevice(), training).toType(DataType.FLOAT32, false);
            long[] perChannel = new long[shape.dimension()];
            Arrays.fill(perChannel, 1);
            perChannel[1] = channels;
            Shape broadcast = new Shape(perChannel);
            NDArray grouped = x.reshape(shape.get(0), groups, -1);
            NDArray mean = grouped.mean(new int[] {2}, true);
            NDArray centered = grouped.sub(mean);
            NDArray std = centered.square().mean(new int[] {2}, true).add(EPSILON).sqrt();
            if (training) {
                return centered.div(std).reshape(shape).mul(g.reshape(broadcast)).add(b.reshape(broadcast));
            }
            // Autograd would need the arrays as they were; inference reuses the fresh copy.
            return centered.divi(std).reshape(shape).muli(g.reshape(broadcast)).addi(b.reshape(broadcast)).toType(type, false);
        }));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

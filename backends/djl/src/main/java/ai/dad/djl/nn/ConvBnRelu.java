package ai.dad.djl.nn;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.norm.BatchNorm;

/** The DRAEM building blocks: 3x3 conv -> BatchNorm -> ReLU, once or twice. */
final class ConvBnRelu {
    private ConvBnRelu() {}

    static SequentialBlock once(int outChannels) {
        return new SequentialBlock()
                .add(Layers.conv3x3(outChannels))
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock());
    }

    static SequentialBlock twice(int outChannels) {
        return once(outChannels).addAll(once(outChannels).getChildren().values());
    }
}

package ai.dad.djl.nn;

import ai.dad.spi.SegmentationHeadProvider;
import ai.djl.nn.Block;
import java.util.Map;

/** The paper's segmentation head, {@link DraemSegmentationNet}, under the name {@code draem}. */
public final class DraemHeadProvider implements SegmentationHeadProvider {

    @Override
    public String name() {
        return "draem";
    }

    @Override
    public Block create(int inChannels, int baseChannels, Map<String, String> options) {
        return new DraemSegmentationNet(baseChannels);
    }
}

package ai.dad.spi;

import ai.djl.nn.Block;
import java.util.Map;

/**
 * Makes the segmentation network by name; found with {@link java.util.ServiceLoader}.
 *
 * <p>The block takes one input, {@code N x inChannels x H x W} (the image and its
 * reconstruction concatenated), and returns one output, the anomaly map
 * {@code N x 1 x H x W} in [0, 1].
 */
public interface SegmentationHeadProvider {

    /** The name a manifest uses, e.g. {@code "draem"}. */
    String name();

    /**
     * Creates an uninitialised block.
     *
     * @param baseChannels width of the first level (64 in the paper)
     * @param options head-specific settings from the manifest; unknown keys are ignored
     */
    Block create(int inChannels, int baseChannels, Map<String, String> options);
}

package ai.dad.djl.nn;

import ai.dad.spi.ModelManifest;
import java.util.List;

/**
 * Shape of the reconstruction U-Net.
 *
 * @param imageSize input width and height in pixels
 * @param base channels of the first level (also the sinusoidal embedding width)
 * @param channelMults channel multiplier per level; each level but the last halves the size
 * @param attentionResolutions feature-map widths (px) that get self-attention
 * @param heads attention heads
 * @param resBlocks ResBlocks per level on the way down (one more on the way up)
 * @param dropout dropout rate inside ResBlocks
 */
public record UNetConfig(int imageSize, int base, List<Integer> channelMults, List<Integer> attentionResolutions,
        int heads, int resBlocks, double dropout) {

    public UNetConfig {
        channelMults = List.copyOf(channelMults);
        attentionResolutions = List.copyOf(attentionResolutions);
    }

    public static UNetConfig of(ModelManifest.Architecture a) {
        return new UNetConfig(a.imageSize, a.unetBase, a.channelMults, a.attentionResolutions, a.heads, a.resBlocks, a.dropout);
    }

    /** Whether a level whose maps are {@code imageSize / downsampleFactor} wide gets attention. */
    boolean attentionAt(int downsampleFactor) {
        return attentionResolutions.contains(imageSize / downsampleFactor);
    }
}

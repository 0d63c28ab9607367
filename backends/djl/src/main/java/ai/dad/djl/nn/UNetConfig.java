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
 * @param headChannels channels per head; when positive, a block of C channels gets C / headChannels heads instead
 * @param resBlocks ResBlocks per level on the way down (one more on the way up)
 * @param dropout dropout rate inside ResBlocks
 */
public record UNetConfig(int imageSize, int base, List<Integer> channelMults, List<Integer> attentionResolutions,
        int heads, int headChannels, int resBlocks, double dropout) {

    public UNetConfig {
        channelMults = List.copyOf(channelMults);
        attentionResolutions = List.copyOf(attentionResolutions);
    }

    public static UNetConfig of(ModelManifest.Architecture a) {
        return new UNetConfig(a.imageSize, a.unetBase, a.channelMults, a.attentionResolutions, a.heads, a.headChannels, a.resBlocks, a.dropout);
    }

    /** The attention heads of a block with {@code channels} channels. */
    int headsFor(int channels) {
        if (headChannels <= 0) {
            return heads;
        }
        if (channels % headChannels != 0) {
            throw new IllegalArgumentException(channels + " attention channels cannot be split into heads of " + headChannels);
        }
        return channels / headChannels;
    }

    /** Whether a level whose maps are {@code imageSize / downsampleFactor} wide gets attention. */
    boolean attentionAt(int downsampleFactor) {
        return attentionResolutions.contains(imageSize / downsampleFactor);
    }
}

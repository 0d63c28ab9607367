package ai.dad.djl.synth;

import ai.dad.imaging.RgbImage;

/**
 * One training sample from {@link AnomalySynthesizer}: the (possibly) anomalous image, its
 * ground-truth mask ({@code height * width} values, row-major, each exactly 0 or 1) and
 * whether any anomaly was pasted in. The mask array is shared, not copied: treat it as
 * read-only.
 */
public record Sample(RgbImage image, float[] mask, boolean anomalous) {

    /** Checks that the mask matches the image size. */
    public Sample {
        if (mask.length != image.width() * image.height()) {
            throw new IllegalArgumentException("mask has " + mask.length + " values for a "
                    + image.width() + "x" + image.height() + " image");
        }
    }
}

package ai.dad.toolkit.synth;

import ai.dad.imaging.RgbImage;

/**
 * One training sample from {@link AnomalySynthesizer}: the (possibly) anomalous image, its
 * ground-truth mask ({@code height * width} values, row-major, each exactly 0 or 1), whether
 * any anomaly was pasted in and the foreground the mask was confined to ({@code null}: the
 * whole image, and always for a clean sample). The arrays are shared, not copied: treat them
 * as read-only.
 */
public record Sample(RgbImage image, float[] mask, boolean anomalous, float[] foreground) {

    /** Checks that the mask and foreground match the image size. */
    public Sample {
        int plane = image.width() * image.height();
        if (mask.length != plane) {
            throw new IllegalArgumentException("mask has " + mask.length + " values for a "
                    + image.width() + "x" + image.height() + " image");
        }
        if (foreground != null && foreground.length != plane) {
            throw new IllegalArgumentException("foreground has " + foreground.length + " values for a "
                    + image.width() + "x" + image.height() + " image");
        }
    }

    /** A sample whose anomaly, if any, could lie anywhere in the image. */
    public Sample(RgbImage image, float[] mask, boolean anomalous) {
        this(image, mask, anomalous, null);
    }
}

package ai.dad.toolkit.synth;

import ai.dad.imaging.RgbImage;
import java.util.Random;

/**
 * The colour and geometry augmentations applied to an anomaly source before it is blended in,
 * after the reference's imgaug list (gamma contrast, brightness, sharpness, hue and saturation,
 * solarize, posterize, invert, autocontrast, equalize, rotate). Each op works on a float
 * {@link RgbImage}, takes its random parameters from the supplied {@link Random}, returns a
 * new image and keeps every value in [0,1]. {@link AnomalySynthesizer} applies three distinct
 * ops chosen at random.
 */
public enum AugmentOp {

    /** Per-channel gamma: v^g with g uniform in [0.5, 2]. */
    GAMMA_CONTRAST {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            float[] out = new float[in.length];
            int plane = w * h;
            for (int c = 0; c < 3; c++) {
                double gamma = uniform(random, 0.5, 2.0);
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    out[i] = clamp((float) Math.pow(Math.max(in[i], 0f), gamma));
                }
            }
            return RgbImage.wrap(w, h, out);
        }
    },

    /**
     * Brightness on the luminance only, as imgaug's {@code MultiplyAndAddToBrightness}: Y' = Y m + a
     * with m uniform in [0.8, 1.2] and a in [-30, 30] / 255, Y the BT.601 luma; the chroma
     * (Cb, Cr) is kept, which means adding Y' - Y to each of R, G and B.
     */
    BRIGHTNESS {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            float mul = (float) uniform(random, 0.8, 1.2);
            float add = (float) uniform(random, -30 / 255.0, 30 / 255.0);
            int plane = w * h;
            float[] out = new float[in.length];
            for (int i = 0; i < plane; i++) {
                float luma = 0.299f * in[i] + 0.587f * in[plane + i] + 0.114f * in[2 * plane + i];
                float shift = luma * (mul - 1) + add;
                for (int c = 0; c < 3; c++) {
                    out[c * plane + i] = clamp(in[c * plane + i] + shift);
                }
            }
            return RgbImage.wrap(w, h, out);
        }
    },

    /**
     * Sharpness as PIL's {@code ImageEnhance.Sharpness}: blend of the 3x3-smoothed image and
     * the original with a factor uniform in [0, 2] (0 blurs, 2 sharpens); borders unchanged.
     */
    SHARPNESS {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            float factor = (float) uniform(random, 0.0, 2.0);
            float[] out = in.clone();
            int plane = w * h;
            for (int c = 0; c < 3; c++) {
                int off = c * plane;
                for (int y = 1; y < h - 1; y++) {
                    for (int x = 1; x < w - 1; x++) {
                        int i = off + y * w + x;
                        float sum = 5 * in[i];
                        for (int dy = -1; dy <= 1; dy++) {
                            for (int dx = -1; dx <= 1; dx++) {
                                if (dy != 0 || dx != 0) {
                                    sum += in[i + dy * w + dx];
                                }
                            }
                        }
                        float smooth = sum / 13f;
                        out[i] = clamp(smooth + factor * (in[i] - smooth));
                    }
                }
            }
            return RgbImage.wrap(w, h, out);
        }
    },

    /**
     * Hue and saturation shift in HSV: hue by a fraction of a turn uniform in [-50, 50] / 255,
     * saturation by an independent amount in [-50, 50] / 255.
     */
    HUE_SATURATION {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            float hueShift = (float) uniform(random, -50 / 255.0, 50 / 255.0);
            float satShift = (float) uniform(random, -50 / 255.0, 50 / 255.0);
            int plane = w * h;
            float[] out = new float[in.length];
            float[] hsv = new float[3];
            for (int i = 0; i < plane; i++) {
                ColorSpaces.rgbToHsv(in[i], in[plane + i], in[2 * plane + i], hsv);
                float hue = hsv[0] + hueShift;
                hue -= (float) Math.floor(hue);
                float sat = clamp(hsv[1] + satShift);
                ColorSpaces.hsvToRgb(hue, sat, hsv[2], out, i, plane);
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = clamp(out[i]);
            }
            return RgbImage.wrap(w, h, out);
        }
    },

    /**
     * Solarize: with probability 1/2, values at or above a threshold uniform in [32, 128] / 255
     * are inverted; otherwise the image is unchanged (imgaug's {@code Solarize(0.5, ...)}).
     */
    SOLARIZE {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            boolean apply = random.nextBoolean();
            float threshold = (float) uniform(random, 32 / 255.0, 128 / 255.0);
            float[] out = in.clone();
            if (apply) {
                for (int i = 0; i < out.length; i++) {
                    if (out[i] >= threshold) {
                        out[i] = clamp(1f - out[i]);
                    }
                }
            }
            return RgbImage.wrap(w, h, out);
        }
    },

    /** Posterize: keeps the top b bits of each 8-bit value, b uniform in 1..8 (imgaug's default range). */
    POSTERIZE {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            int bits = 1 + random.nextInt(8);
            int mask = (0xFF << (8 - bits)) & 0xFF;
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = (RgbImage.to8(in[i]) & mask) / 255f;
            }
            return RgbImage.wrap(w, h, out);
        }
    },

    /** Invert: 1 - v. */
    INVERT {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            float[] out = new float[in.length];
            for (int i = 0; i < in.length; i++) {
                out[i] = clamp(1f - in[i]);
            }
            return RgbImage.wrap(w, h, out);
        }
    },

    /**
     * Autocontrast as PIL's {@code ImageOps.autocontrast} with a cutoff of c percent, c uniform in
     * 0..20 (imgaug's {@code pillike.Autocontrast} default): per channel, c percent of the pixels
     * are ignored at each end of the 8-bit histogram and the remaining range is stretched to [0, 1].
     */
    AUTOCONTRAST {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            int cutoff = random.nextInt(21);
            float[] out = in.clone();
            int plane = w * h;
            for (int c = 0; c < 3; c++) {
                int[] hist = new int[256];
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    hist[RgbImage.to8(in[i])]++;
                }
                int cut = plane * cutoff / 100;
                int lo = level(hist, cut, 0, 1);
                int hi = level(hist, cut, 255, -1);
                if (hi > lo) {
                    float scale = 255f / (hi - lo);
                    for (int i = c * plane; i < (c + 1) * plane; i++) {
                        out[i] = clamp((RgbImage.to8(in[i]) - lo) * scale / 255f);
                    }
                }
            }
            return RgbImage.wrap(w, h, out);
        }

    },

    /** Equalize: per-channel histogram equalisation over 256 levels. */
    EQUALIZE {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            float[] out = in.clone();
            int plane = w * h;
            for (int c = 0; c < 3; c++) {
                int[] hist = new int[256];
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    hist[RgbImage.to8(in[i])]++;
                }
                int cdfMin = 0;
                for (int count : hist) {
                    if (count > 0) {
                        cdfMin = count;
                        break;
                    }
                }
                if (cdfMin == plane) {
                    continue; // a single level: nothing to spread
                }
                float[] lut = new float[256];
                int cumulative = 0;
                for (int level = 0; level < 256; level++) {
                    cumulative += hist[level];
                    lut[level] = clamp((float) (cumulative - cdfMin) / (plane - cdfMin));
                }
                for (int i = c * plane; i < (c + 1) * plane; i++) {
                    out[i] = lut[RgbImage.to8(in[i])];
                }
            }
            return RgbImage.wrap(w, h, out);
        }
    },

    /** Rotation about the centre by an angle uniform in [-45, 45] degrees, black outside. */
    ROTATE {
        @Override
        RgbImage applyTo(float[] in, int w, int h, Random random) {
            double degrees = uniform(random, -45.0, 45.0);
            float[] out = new float[in.length];
            int plane = w * h;
            for (int c = 0; c < 3; c++) {
                Rotation.rotateInto(in, c * plane, out, c * plane, h, w, degrees);
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = clamp(out[i]);
            }
            return RgbImage.wrap(w, h, out);
        }
    };

    /** Applies this op with parameters drawn from {@code random}; the input is not changed. */
    public RgbImage apply(RgbImage image, Random random) {
        return applyTo(image.buffer(), image.width(), image.height(), random);
    }

    abstract RgbImage applyTo(float[] in, int w, int h, Random random);

    private static double uniform(Random random, double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** The first level, walking from {@code start} by {@code step}, once {@code cut} pixels are passed. */
    private static int level(int[] hist, int cut, int start, int step) {
        int seen = 0;
        for (int level = start; level >= 0 && level < 256; level += step) {
            seen += hist[level];
            if (seen > cut) {
                return level;
            }
        }
        return start;
    }

    static float clamp(float v) {
        return v < 0f ? 0f : (v > 1f ? 1f : v);
    }
}

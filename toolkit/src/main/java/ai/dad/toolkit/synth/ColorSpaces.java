package ai.dad.toolkit.synth;

/** RGB and HSV conversions on [0,1] floats, for the hue and saturation augmentation. */
final class ColorSpaces {

    private ColorSpaces() {
    }

    /** Writes hue (fraction of a turn, [0,1)), saturation and value of (r, g, b) into {@code hsv}. */
    static void rgbToHsv(float r, float g, float b, float[] hsv) {
        float max = Math.max(r, Math.max(g, b));
        float min = Math.min(r, Math.min(g, b));
        float delta = max - min;
        float hue;
        if (delta <= 0f) {
            hue = 0f;
        } else if (max == r) {
            hue = (g - b) / delta / 6f;
        } else if (max == g) {
            hue = ((b - r) / delta + 2f) / 6f;
        } else {
            hue = ((r - g) / delta + 4f) / 6f;
        }
        if (hue < 0f) {
            hue += 1f;
        }
        hsv[0] = hue;
        hsv[1] = max <= 0f ? 0f : delta / max;
        hsv[2] = max;
    }

    /** Writes the RGB of (h, s, v) into {@code chw} at pixel {@code i} of planes {@code plane} apart. */
    static void hsvToRgb(float h, float s, float v, float[] chw, int i, int plane) {
        float sector = h * 6f;
        int k = (int) Math.floor(sector);
        float f = sector - k;
        k = Math.floorMod(k, 6);
        float p = v * (1f - s);
        float q = v * (1f - s * f);
        float t = v * (1f - s * (1f - f));
        float r;
        float g;
        float b;
        switch (k) {
            case 0 -> { r = v; g = t; b = p; }
            case 1 -> { r = q; g = v; b = p; }
            case 2 -> { r = p; g = v; b = t; }
            case 3 -> { r = p; g = q; b = v; }
            case 4 -> { r = t; g = p; b = v; }
            default -> { r = v; g = p; b = q; }
        }
        chw[i] = r;
        chw[plane + i] = g;
        chw[2 * plane + i] = b;
    }
}

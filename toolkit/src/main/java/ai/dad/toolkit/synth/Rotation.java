package ai.dad.toolkit.synth;

/**
 * Rotation of a single-channel map about its centre with bilinear sampling and zeros outside
 * the source, as imgaug's {@code Affine(rotate=...)} does by default; used for the Perlin mask
 * and for the rotate augmentation.
 */
final class Rotation {

    private Rotation() {
    }

    /**
     * Rotates a {@code height x width} row-major map by {@code degrees} (positive turns the
     * content clockwise on screen, where rows grow downwards) and returns a new map.
     */
    static float[] rotate(float[] map, int height, int width, double degrees) {
        float[] out = new float[height * width];
        rotateInto(map, 0, out, 0, height, width, degrees);
        return out;
    }

    /** Rotates the plane at {@code srcOff} of {@code src} into {@code dst} at {@code dstOff}. */
    static void rotateInto(float[] src, int srcOff, float[] dst, int dstOff, int height, int width,
            double degrees) {
        double rad = Math.toRadians(degrees);
        double cos = Math.cos(rad);
        double sin = Math.sin(rad);
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        for (int y = 0; y < height; y++) {
            double dy = y - cy;
            for (int x = 0; x < width; x++) {
                double dx = x - cx;
                // Inverse map: where in the source does this output pixel come from?
                double sx = cos * dx + sin * dy + cx;
                double sy = -sin * dx + cos * dy + cy;
                dst[dstOff + y * width + x] = sample(src, srcOff, height, width, sy, sx);
            }
        }
    }

    /** Bilinear sample at (sy, sx), treating everything outside the map as zero. */
    private static float sample(float[] src, int off, int height, int width, double sy, double sx) {
        if (sy <= -1 || sx <= -1 || sy >= height || sx >= width) {
            return 0f;
        }
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        double fy = sy - y0;
        double fx = sx - x0;
        double v00 = at(src, off, height, width, y0, x0);
        double v01 = at(src, off, height, width, y0, x0 + 1);
        double v10 = at(src, off, height, width, y0 + 1, x0);
        double v11 = at(src, off, height, width, y0 + 1, x0 + 1);
        double top = v00 + (v01 - v00) * fx;
        double bottom = v10 + (v11 - v10) * fx;
        return (float) (top + (bottom - top) * fy);
    }

    private static double at(float[] src, int off, int height, int width, int y, int x) {
        return y < 0 || x < 0 || y >= height || x >= width ? 0.0 : src[off + y * width + x];
    }
}

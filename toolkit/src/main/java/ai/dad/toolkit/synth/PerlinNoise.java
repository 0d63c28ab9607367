package ai.dad.toolkit.synth;

import java.util.Random;

/**
 * Two-dimensional gradient (Perlin) noise, the source of DiffusionAD's blob-shaped synthetic
 * anomaly masks.
 *
 * <p>A lattice of {@code (resRows + 1) x (resCols + 1)} random unit gradients spans the grid,
 * so the noise has {@code resRows} periods down the height and {@code resCols} across the
 * width; each pixel blends the four corner ramps with the fade curve 6t^5 - 15t^4 + 10t^3 and
 * the result is scaled by sqrt(2), which keeps values within about [-1, 1]. When a size is not
 * a multiple of its resolution the noise is made at the next multiple and cropped.
 */
public final class PerlinNoise {

    private static final double SQRT2 = Math.sqrt(2.0);

    private PerlinNoise() {
    }

    /**
     * Generates a {@code height x width} noise map, row-major.
     *
     * @param height  rows of the map
     * @param width   columns of the map
     * @param resRows periods along the height (lattice cells down a column)
     * @param resCols periods along the width (lattice cells along a row)
     * @param random  source of the gradient angles, drawn row by row over the lattice
     * @return {@code height * width} values, roughly in [-1, 1]
     */
    public static float[] generate(int height, int width, int resRows, int resCols, Random random) {
        if (height <= 0 || width <= 0 || resRows <= 0 || resCols <= 0) {
            throw new IllegalArgumentException("sizes and resolutions must be positive: " + height + "x"
                    + width + " at " + resRows + "x" + resCols);
        }
        int cellH = ceilDiv(height, resRows);
        int cellW = ceilDiv(width, resCols);
        double[] gx = new double[(resRows + 1) * (resCols + 1)];
        double[] gy = new double[gx.length];
        for (int i = 0; i < gx.length; i++) {
            double angle = 2 * Math.PI * random.nextDouble();
            gy[i] = Math.cos(angle); // component along the rows (first axis)
            gx[i] = Math.sin(angle); // component along the columns (second axis)
        }
        int stride = resCols + 1;
        float[] out = new float[height * width];
        for (int y = 0; y < height; y++) {
            int cy = y / cellH;
            double v = (double) (y % cellH) / cellH;
            double fv = fade(v);
            for (int x = 0; x < width; x++) {
                int cx = x / cellW;
                double u = (double) (x % cellW) / cellW;
                int g00 = cy * stride + cx;
                int g10 = g00 + stride; // one cell down
                int g01 = g00 + 1; // one cell right
                int g11 = g10 + 1;
                double n00 = gy[g00] * v + gx[g00] * u;
                double n10 = gy[g10] * (v - 1) + gx[g10] * u;
                double n01 = gy[g01] * v + gx[g01] * (u - 1);
                double n11 = gy[g11] * (v - 1) + gx[g11] * (u - 1);
                double down0 = lerp(n00, n10, fv);
                double down1 = lerp(n01, n11, fv);
                out[y * width + x] = (float) (SQRT2 * lerp(down0, down1, fade(u)));
            }
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The quintic fade curve 6t^5 - 15t^4 + 10t^3. */
    static double fade(double t) {
        return t * t * t * (t * (t * 6 - 15) + 10);
    }

    private static double lerp(double a, double b, double w) {
        return a + (b - a) * w;
    }
}

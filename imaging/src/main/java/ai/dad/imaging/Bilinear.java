package ai.dad.imaging;

/**
 * Bilinear resizing of planar float data, like OpenCV's default {@code cv2.resize} (pixel
 * centres aligned, no anti-aliasing), which the reference implementation uses for training
 * images; serving resizes the same way so that a model sees what it was trained on.
 */
public final class Bilinear {
    private Bilinear() {}

    /**
     * Resizes {@code planes} planes of {@code width x height} values (plane after plane,
     * row-major) to {@code newWidth x newHeight}.
     */
    public static float[] resize(float[] data, int planes, int width, int height, int newWidth, int newHeight) {
        if (data.length != planes * width * height) {
            throw new IllegalArgumentException(data.length + " values are not " + planes + " planes of " + width + "x" + height);
        }
        int[] x0 = new int[newWidth];
        int[] x1 = new int[newWidth];
        float[] fx = new float[newWidth];
        axisWeights(width, newWidth, x0, x1, fx);
        int[] y0 = new int[newHeight];
        int[] y1 = new int[newHeight];
        float[] fy = new float[newHeight];
        axisWeights(height, newHeight, y0, y1, fy);
        float[] out = new float[planes * newWidth * newHeight];
        for (int c = 0; c < planes; c++) {
            int src = c * width * height;
            int dst = c * newWidth * newHeight;
            for (int y = 0; y < newHeight; y++) {
                int r0 = src + y0[y] * width;
                int r1 = src + y1[y] * width;
                float wy = fy[y];
                for (int x = 0; x < newWidth; x++) {
                    float wx = fx[x];
                    float top = data[r0 + x0[x]] * (1 - wx) + data[r0 + x1[x]] * wx;
                    float bottom = data[r1 + x0[x]] * (1 - wx) + data[r1 + x1[x]] * wx;
                    out[dst + y * newWidth + x] = top * (1 - wy) + bottom * wy;
                }
            }
        }
        return out;
    }

    /** Source indices and weights along one axis (half-pixel centres, clamped at the edges). */
    private static void axisWeights(int srcLen, int dstLen, int[] i0, int[] i1, float[] frac) {
        double scale = (double) srcLen / dstLen;
        for (int d = 0; d < dstLen; d++) {
            double s = Math.max(0, (d + 0.5) * scale - 0.5);
            int lo = (int) Math.floor(s);
            if (lo >= srcLen - 1) {
                i0[d] = srcLen - 1;
                i1[d] = srcLen - 1;
                frac[d] = 0f;
            } else {
                i0[d] = lo;
                i1[d] = lo + 1;
                frac[d] = (float) (s - lo);
            }
        }
    }
}

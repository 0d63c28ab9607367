package ai.dad.client.eval;

/**
 * Undoes a bilinear upsampling ({@link ai.dad.imaging.Bilinear}: pixel centres aligned, edges
 * clamped) of a square model map to a larger frame: the model-size map whose upsampling is
 * closest, in least squares, to the given one. The upsampling is linear and separable, and for a
 * frame at least as large as the model on an axis its matrix {@code U} (frame pixels x model
 * pixels, two neighbouring weights per row) has full column rank, so the normal equations
 * {@code UᵀU m = Uᵀ a} have one solution, exact when {@code a} is an exact upsampling; with an
 * 8-bit map it is off by about the rounding. {@code UᵀU} is tridiagonal and positive definite, so
 * each line costs O(n) (Thomas algorithm) and a whole map O(width x height).
 */
final class Unresize {

    private Unresize() {}

    /**
     * The {@code size x size} map whose bilinear upsampling to {@code width x height} best matches
     * {@code map}, or null when the frame is smaller than the model on an axis (then the
     * upsampling, a downsampling there, cannot be undone).
     */
    static float[] toModel(float[] map, int width, int height, int size) {
        Axis ax = Axis.of(width, size);
        Axis ay = Axis.of(height, size);
        if (ax == null || ay == null) {
            return null;
        }
        // Along y: each column of the frame map (height values) becomes `size` values.
        double[] rows = new double[size * width];
        double[] column = new double[height];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                column[y] = map[y * width + x];
            }
            double[] m = ay.solve(column);
            for (int i = 0; i < size; i++) {
                rows[i * width + x] = m[i];
            }
        }
        // Along x: each of the `size` rows (width values) becomes `size` values.
        float[] out = new float[size * size];
        double[] row = new double[width];
        for (int i = 0; i < size; i++) {
            System.arraycopy(rows, i * width, row, 0, width);
            double[] m = ax.solve(row);
            for (int j = 0; j < size; j++) {
                out[i * size + j] = (float) m[j];
            }
        }
        return out;
    }

    /** One axis of the upsampling from {@code small} to {@code large} samples, and its normal equations. */
    private record Axis(int small, int[] i0, int[] i1, double[] frac, double[] diag, double[] off) {

        /** The axis, or null when {@code large < small}. */
        static Axis of(int large, int small) {
            if (large < small) {
                return null;
            }
            int[] i0 = new int[large];
            int[] i1 = new int[large];
            double[] frac = new double[large];
            double scale = (double) small / large;
            for (int d = 0; d < large; d++) {
                double s = Math.max(0, (d + 0.5) * scale - 0.5);
                int lo = (int) Math.floor(s);
                if (lo >= small - 1) {
                    i0[d] = small - 1;
                    i1[d] = small - 1;
                } else {
                    i0[d] = lo;
                    i1[d] = lo + 1;
                    frac[d] = (float) (s - lo); // the float weight Bilinear uses
                }
            }
            double[] diag = new double[small];
            double[] off = new double[small]; // off[i] couples i and i + 1
            for (int d = 0; d < large; d++) {
                double w0 = 1 - frac[d];
                double w1 = frac[d];
                if (i0[d] == i1[d]) {
                    diag[i0[d]] += 1;
                } else {
                    diag[i0[d]] += w0 * w0;
                    diag[i1[d]] += w1 * w1;
                    off[i0[d]] += w0 * w1;
                }
            }
            return new Axis(small, i0, i1, frac, diag, off);
        }

        /** Least-squares model samples for one line of frame samples. */
        double[] solve(double[] a) {
            double[] b = new double[small];
            for (int d = 0; d < a.length; d++) {
                if (i0[d] == i1[d]) {
                    b[i0[d]] += a[d];
                } else {
                    b[i0[d]] += (1 - frac[d]) * a[d];
                    b[i1[d]] += frac[d] * a[d];
                }
            }
            // Thomas algorithm on the symmetric tridiagonal (diag, off).
            double[] c = new double[small];
            double[] x = new double[small];
            double pivot = diag[0];
            c[0] = small > 1 ? off[0] / pivot : 0;
            x[0] = b[0] / pivot;
            for (int i = 1; i < small; i++) {
                pivot = diag[i] - off[i - 1] * c[i - 1];
                c[i] = i < small - 1 ? off[i] / pivot : 0;
                x[i] = (b[i] - off[i - 1] * x[i - 1]) / pivot;
            }
            for (int i = small - 2; i >= 0; i--) {
                x[i] -= c[i] * x[i + 1];
            }
            return x;
        }
    }
}

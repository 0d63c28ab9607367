package ai.dad.imaging;

/**
 * Labels the 8-connected components of a binary mask: two foreground pixels belong to the same
 * region when a chain of foreground pixels joins them, each step moving to one of the eight
 * neighbours (diagonals included), as {@code scipy.ndimage.label} with a 3x3 structure of ones,
 * which MVTec AD's evaluation uses to find ground-truth regions.
 */
public final class ConnectedComponents {
    private ConnectedComponents() {}

    /**
     * Region labels of a row-major mask of {@code width * height} pixels: 0 for background,
     * 1..n for the n regions, numbered in raster order of each region's first pixel. The number
     * of regions is the largest label ({@link #count(int[])}). Iterative (no recursion), O(pixels).
     */
    public static int[] label8(boolean[] mask, int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height != mask.length) {
            throw new IllegalArgumentException("mask of " + mask.length + " pixels is not "
                    + width + " x " + height);
        }
        int[] labels = new int[mask.length];
        int[] stack = null;
        int next = 0;
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || labels[start] != 0) {
                continue;
            }
            if (stack == null) {
                stack = new int[mask.length]; // each pixel is pushed at most once
            }
            int label = ++next;
            labels[start] = label;
            int top = 0;
            stack[top++] = start;
            while (top > 0) {
                int at = stack[--top];
                int x = at % width;
                int y = at / width;
                int y0 = Math.max(y - 1, 0);
                int y1 = Math.min(y + 1, height - 1);
                int x0 = Math.max(x - 1, 0);
                int x1 = Math.min(x + 1, width - 1);
                for (int yy = y0; yy <= y1; yy++) {
                    int row = yy * width;
                    for (int xx = x0; xx <= x1; xx++) {
                        int q = row + xx;
                        if (mask[q] && labels[q] == 0) {
                            labels[q] = label;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
        return labels;
    }

    /** Number of regions in labels produced by {@link #label8}: the largest label. */
    public static int count(int[] labels) {
        int max = 0;
        for (int label : labels) {
            max = Math.max(max, label);
        }
        return max;
    }
}

package ai.dad.djl.synth;

import ai.dad.imaging.RgbImage;
import java.util.Random;

/**
 * Self-shuffle of an image into a patch jumble: the image is cut into a {@code grid x grid}
 * array of equal patches, which are put back in a random order. DiffusionAD uses this (8 x 8)
 * as the anomaly source for object categories, so a synthetic defect carries the object's own
 * colours and textures, out of place.
 *
 * <p>Patches are {@code floor(H / grid) x floor(W / grid)} pixels; when a side is not a
 * multiple of {@code grid}, the leftover rows and columns at the bottom and right stay where
 * they are.
 */
public final class PatchShuffle {

    private PatchShuffle() {
    }

    /** Returns a new image whose patches are a random permutation (from {@code random}) of the input's. */
    public static RgbImage shuffle(RgbImage image, int grid, Random random) {
        int w = image.width();
        int h = image.height();
        int ph = h / grid;
        int pw = w / grid;
        if (grid <= 0 || ph == 0 || pw == 0) {
            throw new IllegalArgumentException("cannot cut a " + w + "x" + h + " image into a "
                    + grid + "x" + grid + " grid");
        }
        int n = grid * grid;
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        float[] in = image.buffer();
        float[] out = in.clone();
        int plane = w * h;
        for (int dst = 0; dst < n; dst++) {
            int src = perm[dst];
            int dy = (dst / grid) * ph;
            int dx = (dst % grid) * pw;
            int sy = (src / grid) * ph;
            int sx = (src % grid) * pw;
            for (int c = 0; c < 3; c++) {
                for (int r = 0; r < ph; r++) {
                    System.arraycopy(in, c * plane + (sy + r) * w + sx, out, c * plane + (dy + r) * w + dx, pw);
                }
            }
        }
        return RgbImage.wrap(w, h, out);
    }
}

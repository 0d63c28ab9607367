package ai.dad.toolkit.synth;

import ai.dad.imaging.RgbImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The official DiffusionAD self-shuffle, the anomaly source for half of the anomalies of object
 * categories: a synthetic defect then carries the object's own colours and textures, out of
 * place. The image is cut into column strips of {@code floor(W / strips)} pixels (a narrower last
 * strip when W is not a multiple); the even-numbered strips are shuffled among themselves, the
 * odd-numbered ones too, and laid side by side, evens first. Then the same for row strips, after
 * a full shuffle of them, as the official code does (so the row order is a uniform permutation,
 * while the column order keeps strips of one parity together).
 */
public final class StripShuffle {

    private StripShuffle() {
    }

    /** Returns a new image, the input's strips rearranged with choices from {@code random}. */
    public static RgbImage shuffle(RgbImage image, int strips, Random random) {
        int w = image.width();
        int h = image.height();
        if (strips <= 0 || w / strips == 0 || h / strips == 0) {
            throw new IllegalArgumentException("cannot cut a " + w + "x" + h + " image into " + strips + " strips a side");
        }
        List<int[]> columns = evensThenOdds(cut(w, w / strips), random);
        List<int[]> rows = cut(h, h / strips);
        Collections.shuffle(rows, random);
        rows = evensThenOdds(rows, random);

        float[] in = image.buffer();
        float[] byColumn = new float[in.length];
        int plane = w * h;
        int x = 0;
        for (int[] strip : columns) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(in, c * plane + y * w + strip[0], byColumn, c * plane + y * w + x, strip[1]);
                }
            }
            x += strip[1];
        }
        float[] out = new float[in.length];
        int y = 0;
        for (int[] strip : rows) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(byColumn, c * plane + strip[0] * w, out, c * plane + y * w, strip[1] * w);
            }
            y += strip[1];
        }
        return RgbImage.wrap(w, h, out);
    }

    /** Strips {start, length} of {@code width} pixels along a side of {@code size}, the last one shorter if need be. */
    private static List<int[]> cut(int size, int width) {
        List<int[]> strips = new ArrayList<>();
        for (int start = 0; start < size; start += width) {
            strips.add(new int[] {start, Math.min(width, size - start)});
        }
        return strips;
    }

    /** The strips at even positions, shuffled, then those at odd positions, shuffled. */
    private static List<int[]> evensThenOdds(List<int[]> strips, Random random) {
        List<int[]> evens = new ArrayList<>();
        List<int[]> odds = new ArrayList<>();
        for (int i = 0; i < strips.size(); i++) {
            (i % 2 == 0 ? evens : odds).add(strips.get(i));
        }
        Collections.shuffle(evens, random);
        Collections.shuffle(odds, random);
        evens.addAll(odds);
        return evens;
    }
}

package ai.dad.toolkit.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.imaging.RgbImage;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StripShuffleTest {

    /** An image whose pixel (c, y, x) encodes its own position, so every output pixel says where it came from. */
    private static RgbImage positions(int w, int h) {
        float[] d = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                d[y * w + x] = x;
                d[w * h + y * w + x] = y;
                d[2 * w * h + y * w + x] = 0.5f;
            }
        }
        return RgbImage.of(w, h, d);
    }

    @Test
    void columnStripsKeepTheirParityGroupEvensFirst() {
        int size = 64;
        for (int seed = 0; seed < 20; seed++) {
            RgbImage out = StripShuffle.shuffle(positions(size, size), 8, new Random(seed));
            for (int slot = 0; slot < 8; slot++) {
                int source = (int) out.get(0, 0, slot * 8) / 8;
                // Slots 0-3 hold the even strips 0, 2, 4, 6 in some order, slots 4-7 the odd ones.
                assertEquals(slot < 4 ? 0 : 1, source % 2, "seed " + seed + " slot " + slot);
                for (int x = 0; x < 8; x++) {
                    for (int y = 0; y < size; y += 9) {
                        assertEquals(source * 8 + x, out.get(0, y, slot * 8 + x), "strips move whole");
                    }
                }
            }
        }
    }

    @Test
    void rowStripsAreAnyPermutationAndEveryPixelIsUsedOnce() {
        int size = 64;
        Set<Integer> firstRowStrips = new HashSet<>();
        for (int seed = 0; seed < 60; seed++) {
            RgbImage out = StripShuffle.shuffle(positions(size, size), 8, new Random(seed));
            Set<Integer> seen = new HashSet<>();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int sx = (int) out.get(0, y, x);
                    int sy = (int) out.get(1, y, x);
                    assertTrue(seen.add(sy * size + sx), "pixel " + sx + "," + sy + " used twice");
                }
            }
            firstRowStrips.add((int) out.get(1, 0, 0) / 8);
        }
        // After the official full shuffle, odd row strips also reach the top.
        assertTrue(firstRowStrips.stream().anyMatch(s -> s % 2 == 1), "row order " + firstRowStrips);
    }

    @Test
    void unevenSidesGetANarrowerLastStripAndKeepEveryPixel() {
        RgbImage input = positions(67, 50);
        RgbImage out = StripShuffle.shuffle(input, 8, new Random(5));
        assertNotEquals(input, out);
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 67; x++) {
                seen.add((int) out.get(1, y, x) * 67 + (int) out.get(0, y, x));
            }
        }
        assertEquals(67 * 50, seen.size());
    }

    @Test
    void sameSeedSameImage() {
        RgbImage input = positions(32, 32);
        assertEquals(StripShuffle.shuffle(input, 8, new Random(4)), StripShuffle.shuffle(input, 8, new Random(4)));
    }
}

package ai.dad.djl.synth;

import ai.dad.imaging.TestImages;
import ai.dad.imaging.RgbImage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PatchShuffleTest {

    private static float[] patch(RgbImage img, int py, int px, int ph, int pw) {
        float[] out = new float[3 * ph * pw];
        int k = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ph; y++) {
                for (int x = 0; x < pw; x++) {
                    out[k++] = img.get(c, py * ph + y, px * pw + x);
                }
            }
        }
        return out;
    }

    @Test
    void isAPermutationOfThePatches() {
        RgbImage input = TestImages.gradient(64);
        RgbImage out = PatchShuffle.shuffle(input, 8, new Random(11));
        assertNotEquals(input, out);

        float[] sortedIn = input.toArray();
        float[] sortedOut = out.toArray();
        Arrays.sort(sortedIn);
        Arrays.sort(sortedOut);
        assertArrayEquals(sortedIn, sortedOut, "same pixel values");

        // Each output patch is exactly one input patch, each input patch used once
        // (the gradient makes every patch distinct).
        List<float[]> unused = new ArrayList<>();
        for (int py = 0; py < 8; py++) {
            for (int px = 0; px < 8; px++) {
                unused.add(patch(input, py, px, 8, 8));
            }
        }
        for (int py = 0; py < 8; py++) {
            for (int px = 0; px < 8; px++) {
                float[] p = patch(out, py, px, 8, 8);
                boolean found = unused.removeIf(q -> Arrays.equals(p, q));
                assertTrue(found, "output patch " + py + "," + px + " is no unused input patch");
            }
        }
        assertEquals(0, unused.size());
    }

    @Test
    void leavesTheRemainderOfUnevenSizesInPlace() {
        RgbImage input = TestImages.gradient(67);
        RgbImage out = PatchShuffle.shuffle(input, 8, new Random(5));
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 67; i++) {
                for (int j = 64; j < 67; j++) {
                    assertEquals(input.get(c, i, j), out.get(c, i, j));
                    assertEquals(input.get(c, j, i), out.get(c, j, i));
                }
            }
        }
    }
}

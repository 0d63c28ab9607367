package ai.dad.toolkit.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PerlinNoiseTest {

    @Test
    void valuesAreRoughlyInUnitRangeAndNotConstant() {
        for (int a = 0; a <= 5; a++) {
            for (int b = 0; b <= 5; b++) {
                float[] n = PerlinNoise.generate(64, 64, 1 << a, 1 << b, new Random(31L * a + b));
                assertEquals(64 * 64, n.length);
                double min = Double.MAX_VALUE;
                double max = -Double.MAX_VALUE;
                double sum = 0;
                double sq = 0;
                for (float v : n) {
                    assertTrue(Float.isFinite(v));
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    sq += v * v;
                }
                double std = Math.sqrt(sq / n.length - (sum / n.length) * (sum / n.length));
                assertTrue(min >= -1.05 && max <= 1.05, "range " + min + ".." + max);
                assertTrue(std > 0.02, "noise is (nearly) constant at res " + a + "," + b + ": std " + std);
            }
        }
    }

    @Test
    void isZeroOnTheLatticeAndContinuous() {
        float[] n = PerlinNoise.generate(64, 64, 4, 8, new Random(7));
        // Lattice points (every 16 rows, every 8 columns) have zero noise.
        for (int y = 0; y < 64; y += 16) {
            for (int x = 0; x < 64; x += 8) {
                assertEquals(0f, n[y * 64 + x], 1e-6f);
            }
        }
        // Neighbouring pixels differ by little: no seams at cell borders.
        for (int y = 0; y < 64; y++) {
            for (int x = 1; x < 64; x++) {
                assertTrue(Math.abs(n[y * 64 + x] - n[y * 64 + x - 1]) < 0.5f);
            }
        }
    }

    @Test
    void sizesThatAreNotMultiplesAreCroppedFromTheNextMultiple() {
        float[] cropped = PerlinNoise.generate(50, 70, 8, 4, new Random(3));
        float[] full = PerlinNoise.generate(56, 72, 8, 4, new Random(3));
        assertEquals(50 * 70, cropped.length);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 70; x++) {
                assertEquals(full[y * 72 + x], cropped[y * 70 + x], "pixel " + y + "," + x);
            }
        }
    }

    @Test
    void seedDecidesTheNoise() {
        float[] a = PerlinNoise.generate(32, 32, 4, 4, new Random(1));
        assertArrayEquals(a, PerlinNoise.generate(32, 32, 4, 4, new Random(1)));
        assertFalse(Arrays.equals(a, PerlinNoise.generate(32, 32, 4, 4, new Random(2))));
    }
}

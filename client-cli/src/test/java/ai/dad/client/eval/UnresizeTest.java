package ai.dad.client.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.dad.imaging.Bilinear;
import ai.dad.imaging.RgbImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnresizeTest {

    private static float[] randomMap(int size, long seed) {
        Random r = new Random(seed);
        float[] m = new float[size * size];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextFloat();
        }
        return m;
    }

    @Test
    void undoesTheServicesUpsamplingToAnyLargerSize() {
        int size = 16;
        float[] model = randomMap(size, 1);
        int[][] sizes = {{16, 16}, {32, 32}, {48, 20}, {53, 37}, {257, 129}};
        for (int[] wh : sizes) {
            float[] frame = Bilinear.resize(model, 1, size, size, wh[0], wh[1]);
            float[] back = Unresize.toModel(frame, wh[0], wh[1], size);
            for (int i = 0; i < back.length; i++) {
                assertEquals(model[i], back[i], 1e-4, wh[0] + "x" + wh[1] + " at " + i);
            }
            // 8-bit like the service's PNG: off by about the rounding only.
            float[] rounded = frame.clone();
            for (int i = 0; i < rounded.length; i++) {
                rounded[i] = RgbImage.to8(rounded[i]) / 255f;
            }
            float[] approx = Unresize.toModel(rounded, wh[0], wh[1], size);
            for (int i = 0; i < approx.length; i++) {
                assertEquals(model[i], approx[i], 4.0 / 255, wh[0] + "x" + wh[1] + " at " + i);
            }
        }
    }

    @Test
    void framesSmallerThanTheModelCannotBeUndone() {
        assertNull(Unresize.toModel(new float[8 * 40], 8, 40, 16));
    }
}

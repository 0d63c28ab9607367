package ai.dad.client.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class ModelMapsTest {

    @Test
    void mapsComeBackAtModelSize() throws IOException {
        float[] map = new float[8 * 6];
        java.util.Arrays.fill(map, 0.5f);
        byte[] png = ai.dad.imaging.Png.encodeGray(map, 8, 6);
        float[] back = ModelMaps.fromServicePng(png, 4);
        assertEquals(16, back.length);
        for (float v : back) {
            assertEquals(128 / 255f, v, 1e-6);
        }
        assertThrows(IOException.class, () -> ModelMaps.fromServicePng(new byte[0], 4));
    }
}

package ai.dad.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class HeatmapTest {

    @Test
    void colourMapRunsFromBlueThroughGreenToRed() {
        float[] low = Heatmap.color(0.05f);
        float[] mid = Heatmap.color(0.5f);
        float[] high = Heatmap.color(0.95f);
        assertTrue(low[2] > low[0], "low values are blue");
        assertTrue(mid[1] > mid[0] && mid[1] > mid[2], "middle values are green");
        assertTrue(high[0] > high[2], "high values are red");
        assertArrayEquals(Heatmap.color(1f), Heatmap.color(7f), "clamped");
    }

    @Test
    void overlayPngHasTheFrameSizeAndResizesTheMap() throws IOException {
        float[] grey = new float[3 * 10 * 6];
        java.util.Arrays.fill(grey, 0.5f);
        byte[] frame = Png.encode(RgbImage.of(10, 6, grey));
        float[] map = new float[4 * 4];
        java.util.Arrays.fill(map, 1f);
        RgbImage overlay = RgbImage.fromBufferedImage(javax.imageio.ImageIO.read(
                new java.io.ByteArrayInputStream(Heatmap.overlayPng(frame, Png.encodeGray(map, 4, 4)))));
        assertEquals(10, overlay.width());
        assertEquals(6, overlay.height());
        assertTrue(overlay.get(0, 3, 5) > overlay.get(2, 3, 5), "a map of 1 tints the frame red");
    }

    @Test
    void undecodableInputIsNamed() {
        IOException e = assertThrows(IOException.class, () -> Heatmap.overlayPng(new byte[] {1, 2}, new byte[] {3}));
        assertTrue(e.getMessage().contains("frame"), e.getMessage());
    }
}

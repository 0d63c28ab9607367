package ai.dad.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.imaging.FrameLayout.Fit;
import ai.dad.imaging.FrameLayout.Plan;
import ai.dad.imaging.FrameLayout.Rect;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameLayoutTest {

    @Test
    void stretchIsOneResizedInputAndTheModelMapItself() {
        Plan plan = FrameLayout.stretch(16).plan(40, 30);
        RgbImage frame = gradient(40, 30);
        List<RgbImage> inputs = plan.inputs(frame);
        assertEquals(1, inputs.size());
        assertEquals(frame.resize(16), inputs.get(0));
        float[] map = ramp(16 * 16);
        assertArrayEquals(map, plan.stitch(List.of(map)));
        assertEquals(40 * 30, plan.toFrame(map).length);
    }

    @Test
    void letterboxKeepsTheAspectRatioAndScoresTheUnpaddedPartOnly() {
        Plan plan = new FrameLayout(16, null, Fit.LETTERBOX, 0, 0, 0, 0).plan(64, 32);
        RgbImage input = plan.inputs(gradient(64, 32)).get(0);
        assertEquals(16, input.width());
        assertEquals(0f, input.get(0, 0, 5), "padding above the content is black");
        assertEquals(0f, input.get(0, 15, 5), "and below");
        assertEquals(16, plan.gridWidth());
        assertEquals(8, plan.gridHeight());
        float[] map = new float[16 * 16];
        Arrays.fill(map, 1f); // the padding's values must not reach the grid
        for (int y = 4; y < 12; y++) {
            Arrays.fill(map, y * 16, y * 16 + 16, 0.25f);
        }
        float[] grid = plan.stitch(List.of(map));
        for (float v : grid) {
            assertEquals(0.25f, v);
        }
    }

    @Test
    void tilesCoverALongStripWithTheLastOneFlushAndOverlapsAveraged() {
        FrameLayout layout = new FrameLayout(64, null, Fit.TILES, 256, 64, 1024, 256);
        Plan plan = layout.plan(1024, 256);
        List<Integer> xs = plan.pieces().stream().map(p -> p.cut().x()).toList();
        assertEquals(List.of(0, 192, 384, 576, 768), xs);
        assertEquals(256, plan.gridWidth());
        assertEquals(64, plan.gridHeight());
        List<float[]> maps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            float[] m = new float[64 * 64];
            Arrays.fill(m, i);
            maps.add(m);
        }
        float[] grid = plan.stitch(maps);
        assertEquals(0f, grid[0], "first tile alone");
        assertEquals(0.5f, grid[50], "tiles 0 and 1 overlap at grid x 48-63");
        assertEquals(4f, grid[255], "last tile alone");
        List<RgbImage> inputs = plan.inputs(gradient(1024, 256));
        assertEquals(5, inputs.size());
        assertEquals(gradient(1024, 256).crop(768, 0, 256, 256).resize(64), inputs.get(4));
    }

    @Test
    void aRegionOfInterestIsCutAndTheRestOfTheFrameMapsToZero() {
        FrameLayout layout = new FrameLayout(8, new Rect(10, 5, 20, 10), Fit.STRETCH, 0, 0, 40, 30);
        Plan plan = layout.plan(40, 30);
        assertEquals(gradient(40, 30).crop(10, 5, 20, 10).resize(8), plan.inputs(gradient(40, 30)).get(0));
        float[] map = new float[64];
        Arrays.fill(map, 1f);
        float[] frame = plan.toFrame(map);
        assertEquals(0f, frame[0]);
        assertEquals(1f, frame[5 * 40 + 10]);
        assertEquals(1f, frame[14 * 40 + 29]);
        assertEquals(0f, frame[15 * 40 + 29]);
    }

    @Test
    void framesOfAnotherSizeAreRescaledWhenTheAspectMatchesAndRefusedOtherwise() {
        FrameLayout layout = new FrameLayout(64, null, Fit.TILES, 256, 0, 1024, 256);
        RgbImage half = gradient(512, 128);
        assertEquals(1024, layout.conform(half).width());
        RgbImage same = gradient(1024, 256);
        assertSame(same, layout.conform(same));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.conform(gradient(500, 500)));
        assertTrue(e.getMessage().contains("trained on 1024x256"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new FrameLayout(64, null, Fit.TILES, 256, 256, 1024, 256));
        assertThrows(IllegalArgumentException.class, () -> new FrameLayout(64, new Rect(900, 0, 200, 10), Fit.STRETCH, 0, 0, 1024, 256));
    }

    @Test
    void theScoreIsTheTopKMeanOfTheGrid() {
        float[] grid = {0.1f, 0.9f, 0.5f, 0.7f};
        assertEquals(0.8, Plan.topKMean(grid, 2), 1e-6);
        assertEquals(0.55, Plan.topKMean(grid, 10), 1e-6);
    }

    private static RgbImage gradient(int w, int h) {
        float[] chw = new float[3 * w * h];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    chw[(c * h + y) * w + x] = 0.1f + 0.8f * (x + y) / (w + h);
                }
            }
        }
        return RgbImage.wrap(w, h, chw);
    }

    private static float[] ramp(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) i / n;
        }
        return v;
    }
}

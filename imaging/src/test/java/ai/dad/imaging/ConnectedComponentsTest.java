package ai.dad.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

public class ConnectedComponentsTest {
    /** Parses rows of '#' (foreground) and '.' (background). */
    public static boolean[] mask(String... rows) {
        int w = rows[0].length();
        boolean[] m = new boolean[w * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < w; x++) {
                m[y * w + x] = rows[y].charAt(x) == '#';
            }
        }
        return m;
    }

    @Test
    void diagonalNeighboursFormOneRegion() {
        int[] labels = ConnectedComponents.label8(mask(
                "#..",
                ".#.",
                "..#"), 3, 3);
        assertArrayEquals(new int[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, labels);
        assertEquals(1, ConnectedComponents.count(labels));
        // anti-diagonal too
        assertEquals(1, ConnectedComponents.count(ConnectedComponents.label8(mask(
                ".#",
                "#."), 2, 2)));
    }

    @Test
    void separatedBlobsAreSeparate() {
        int[] labels = ConnectedComponents.label8(mask(
                "##.#",
                "##.#"), 4, 2);
        assertArrayEquals(new int[] {1, 1, 0, 2, 1, 1, 0, 2}, labels);
    }

    @Test
    void severalRegionsInOneMask() {
        int[] labels = ConnectedComponents.label8(mask(
                "#...#.",
                "..#...",
                "......",
                "##..##",
                ".#...#",
                "....#."), 6, 6);
        // regions in raster order of first pixel: {(0,0)}, {(4,0)}, {(2,1)}, {(0,3),(1,3),(1,4)},
        // {(4,3),(5,3),(5,4),(4,5)}; the middle pixel (2,1) touches neither (0,0) nor (4,0)
        assertEquals(5, ConnectedComponents.count(labels));
        assertArrayEquals(new int[] {
            1, 0, 0, 0, 2, 0,
            0, 0, 3, 0, 0, 0,
            0, 0, 0, 0, 0, 0,
            4, 4, 0, 0, 5, 5,
            0, 4, 0, 0, 0, 5,
            0, 0, 0, 0, 5, 0}, labels);
    }

    @Test
    void ringAndEmptyMask() {
        int[] ring = ConnectedComponents.label8(mask(
                "###",
                "#.#",
                "###"), 3, 3);
        assertEquals(1, ConnectedComponents.count(ring));
        assertEquals(0, ring[4]);
        assertEquals(0, ConnectedComponents.count(
                ConnectedComponents.label8(new boolean[12], 4, 3)));
    }

    @Test
    void rejectsWrongSize() {
        assertThrows(IllegalArgumentException.class,
                () -> ConnectedComponents.label8(new boolean[5], 2, 2));
    }
}

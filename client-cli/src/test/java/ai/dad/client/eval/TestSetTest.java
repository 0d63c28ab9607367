package ai.dad.client.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.client.testing.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSetTest {

    @TempDir
    Path tmp;

    @Test
    void mvtecLayoutSortedByTypeThenPathWithMasks() throws IOException {
        TestImages.write(tmp.resolve("test/good/001.png"), 0.2);
        TestImages.write(tmp.resolve("test/good/000.png"), 0.2);
        TestImages.write(tmp.resolve("test/crack/000.PNG"), 0.8);
        TestImages.write(tmp.resolve("ground_truth/crack/000_mask.png"), 1.0);
        Files.writeString(tmp.resolve("test/good/readme.txt"), "ignored");
        List<TestSet.Item> items = TestSet.load(tmp);
        assertEquals(List.of("crack/000.PNG", "good/000.png", "good/001.png"),
                items.stream().map(TestSet.Item::frameId).toList());
        assertTrue(items.get(0).anomalous());
        assertEquals(tmp.resolve("ground_truth/crack/000_mask.png"), items.get(0).mask());
        assertNull(items.get(1).mask());
        assertEquals(2, TestSet.subset(items, 1).size());
    }

    @Test
    void aMissingMaskOrTestFolderIsAnError() throws IOException {
        assertThrows(IOException.class, () -> TestSet.load(tmp));
        TestImages.write(tmp.resolve("test/hole/000.png"), 0.8);
        IOException e = assertThrows(IOException.class, () -> TestSet.load(tmp));
        assertTrue(e.getMessage().contains("missing ground-truth mask"), e.getMessage());
    }

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

package ai.dad.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TestSet reads names only, so empty files stand in for images. */
class TestSetTest {

    @TempDir
    Path tmp;

    @Test
    void mvtecLayoutSortedByTypeThenPathWithMasks() throws IOException {
        touch("test/good/001.png", "test/good/000.png", "test/crack/000.PNG", "ground_truth/crack/000_mask.png",
                "test/good/readme.txt");
        List<TestSet.Item> items = TestSet.load(tmp);
        assertEquals(List.of("crack/000.PNG", "good/000.png", "good/001.png"),
                items.stream().map(TestSet.Item::frameId).toList());
        assertTrue(items.get(0).anomalous());
        assertEquals(tmp.resolve("ground_truth/crack/000_mask.png"), items.get(0).mask());
        assertNull(items.get(1).mask());
        assertEquals(2, TestSet.subset(items, 1).size());
    }

    @Test
    void aTypeWithoutAGroundTruthFolderHasNoMasks() throws IOException {
        touch("test/good/000.png", "test/ng/000.png", "test/ng/sub/001.jpg");
        List<TestSet.Item> items = TestSet.load(tmp);
        assertEquals(List.of("good/000.png", "ng/000.png", "ng/sub/001.jpg"),
                items.stream().map(TestSet.Item::frameId).toList());
        assertTrue(items.stream().allMatch(i -> i.mask() == null));
        assertTrue(items.get(2).anomalous());
    }

    @Test
    void aMissingMaskInAMaskFolderOrNoTestFolderIsAnError() throws IOException {
        assertThrows(IOException.class, () -> TestSet.load(tmp));
        touch("test/hole/000.png", "test/hole/001.png", "ground_truth/hole/000_mask.png");
        IOException e = assertThrows(IOException.class, () -> TestSet.load(tmp));
        assertTrue(e.getMessage().contains("missing ground-truth mask"), e.getMessage());
    }

    private void touch(String... paths) throws IOException {
        for (String p : paths) {
            Files.createDirectories(tmp.resolve(p).getParent());
            Files.write(tmp.resolve(p), new byte[0]);
        }
    }
}

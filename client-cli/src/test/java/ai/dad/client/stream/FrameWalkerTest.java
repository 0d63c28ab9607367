package ai.dad.client.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameWalkerTest {

    @TempDir
    Path tmp;

    @Test
    void walksFoldersSortedByComponentAndKeepsOnlyImageExtensions() throws Exception {
        Path root = tmp.resolve("root");
        for (String name : List.of("b.png", "a.JPG", "a/z.bmp", "a/c.jpeg", "a.b/x.png",
                "sub/deeper/1.png", "notes.txt", "image.png.bak", "noext", "sub/.hidden.png")) {
            Path f = root.resolve(name);
            Files.createDirectories(f.getParent());
            Files.writeString(f, "x");
        }
        Files.createDirectories(root.resolve("empty.png.d"));

        List<String> ids = FrameWalker.walk(List.of(root)).stream().map(FrameFile::frameId).toList();

        // Component order: "a" < "a.JPG" < "a.b" < "b.png" < "sub", and a folder's files stay together.
        assertEquals(List.of("a/c.jpeg", "a/z.bmp", "a.JPG", "a.b/x.png", "b.png",
                "sub/.hidden.png", "sub/deeper/1.png"), ids);
    }

    @Test
    void rootsKeepTheirOrderAndFilesAreNamedByFileName() throws Exception {
        Path d1 = tmp.resolve("d1");
        Path d2 = tmp.resolve("d2");
        Files.createDirectories(d1);
        Files.createDirectories(d2);
        Files.writeString(d1.resolve("x.png"), "x");
        Files.writeString(d2.resolve("a.png"), "x");
        Path single = Files.writeString(tmp.resolve("single.bmp"), "x");
        Path text = Files.writeString(tmp.resolve("readme.txt"), "x");

        List<FrameFile> frames = FrameWalker.walk(List.of(d2, single, d1, text));

        assertEquals(List.of("a.png", "single.bmp", "x.png"),
                frames.stream().map(FrameFile::frameId).toList());
        assertEquals(d2.resolve("a.png"), frames.get(0).path());
        assertEquals(single, frames.get(1).path());
    }

    @Test
    void aMissingRootIsAnEntryThatFailsLocally() throws Exception {
        Path missing = tmp.resolve("nope/frame.png");
        List<FrameFile> frames = FrameWalker.walk(List.of(missing));
        assertEquals(1, frames.size());
        assertEquals("frame.png", frames.get(0).frameId());
        assertNotNull(frames.get(0).walkError());
    }

    @Test
    void aDanglingLinkWithAnImageNameIsKept() throws Exception {
        Files.createDirectories(tmp.resolve("r"));
        Files.createSymbolicLink(tmp.resolve("r/gone.png"), tmp.resolve("r/nothing"));
        List<FrameFile> frames = FrameWalker.walk(List.of(tmp.resolve("r")));
        assertEquals(1, frames.size());
        assertEquals("gone.png", frames.get(0).frameId());
        assertNull(frames.get(0).walkError());
    }

    @Test
    void extensionsAndStems() {
        assertTrue(FrameWalker.isImageName("x.PNG"));
        assertTrue(FrameWalker.isImageName("x.jpeg"));
        assertFalse(FrameWalker.isImageName("x.gif"));
        assertFalse(FrameWalker.isImageName("png"));
        assertEquals("a/b/c", new FrameFile(Path.of("q"), "a/b/c.png").stem());
        assertEquals("a.d/c", new FrameFile(Path.of("q"), "a.d/c").stem());
        assertEquals("a/.png", new FrameFile(Path.of("q"), "a/.png").stem());
    }
}

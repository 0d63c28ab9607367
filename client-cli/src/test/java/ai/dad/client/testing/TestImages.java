package ai.dad.client.testing;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Small images of known brightness, and the 200-frame folder the stream tests use. */
public final class TestImages {

    /** Brightness of frame i of the folder: NG (>= 0.5) for i % 4 in {2, 3}. */
    public static final double[] LEVELS = {0.1, 0.3, 0.7, 0.9};

    private TestImages() {}

    /** Writes a uniform 16 x 12 RGB image of the given brightness; the format from the name. */
    public static Path write(Path file, double brightness) throws IOException {
        BufferedImage img = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
        int v = (int) Math.round(brightness * 255);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        Files.createDirectories(file.getParent());
        String name = file.getFileName().toString();
        String format = name.endsWith(".bmp") ? "bmp" : name.endsWith(".jpg") ? "jpg" : "png";
        ImageIO.write(img, format, file.toFile());
        return file;
    }

    /** Expected kind of each frame of {@link #folder}. */
    public enum Kind { OK, NG, BAD_BYTES, UNREADABLE }

    /**
     * 200 frames: {@code a/f000.png .. a/f099.png, b/f100.png .. b/f199.png}. Frames 7, 57, 107
     * and 157 hold text (the service fails them), frame 123 is a dangling link (cannot be read
     * here), the others are images whose brightness cycles through {@link #LEVELS}. A text file
     * lies next to them and must be ignored.
     */
    public static List<Kind> folder(Path root) throws IOException {
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Path file = root.resolve(String.format("%s/f%03d.png", i < 100 ? "a" : "b", i));
            Files.createDirectories(file.getParent());
            if (i % 50 == 7) {
                Files.writeString(file, "not an image");
                kinds.add(Kind.BAD_BYTES);
            } else if (i == 123) {
                Files.createSymbolicLink(file, root.resolve("missing-target.png"));
                kinds.add(Kind.UNREADABLE);
            } else {
                double level = LEVELS[i % 4];
                write(file, level);
                kinds.add(level >= FakeInspector.THRESHOLD ? Kind.NG : Kind.OK);
            }
        }
        Files.writeString(root.resolve("a/notes.txt"), "ignored");
        return kinds;
    }

    /** The frame id of frame i of {@link #folder}. */
    public static String frameId(int i) {
        return String.format("%s/f%03d.png", i < 100 ? "a" : "b", i);
    }
}

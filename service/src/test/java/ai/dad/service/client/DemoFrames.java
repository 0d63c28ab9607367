package ai.dad.service.client;

import ai.dad.toolkit.demo.DemoParts;
import ai.dad.imaging.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Frames of the demo model's parts (synthetic washers, good and defective) for the client tests. */
final class DemoFrames {

    private DemoFrames() {}

    /** Writes {@code good} good and {@code defective} defective washers of 96 px; returns the files. */
    static List<Path> write(Path dir, int good, int defective, long seed) throws IOException {
        DemoParts parts = new DemoParts(96);
        Random random = new Random(seed);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < good; i++) {
            files.add(png(dir.resolve("good").resolve(String.format(Locale.ROOT, "g%02d.png", i)),
                    parts.good(random)));
        }
        DemoParts.Defect[] kinds = DemoParts.Defect.values();
        for (int i = 0; i < defective; i++) {
            files.add(png(dir.resolve("defect").resolve(String.format(Locale.ROOT, "d%02d.png", i)),
                    parts.defective(kinds[i % kinds.length], random)));
        }
        return files;
    }

    /** One good washer as PNG bytes. */
    static byte[] goodPng(long seed) throws IOException {
        return Png.encode(new DemoParts(96).good(new Random(seed)).image());
    }

    private static Path png(Path file, DemoParts.Part part) throws IOException {
        Files.createDirectories(file.getParent());
        Png.write(part.image(), file);
        return file;
    }
}

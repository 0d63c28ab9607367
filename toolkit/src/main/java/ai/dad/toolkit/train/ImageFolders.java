package ai.dad.toolkit.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/** Finding images on disk: plain folders and the MVTec AD category layout. */
public final class ImageFolders {
    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp");

    private ImageFolders() {}

    /** Whether {@code file} has an image extension this project decodes. */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** Every image file under {@code dir}, recursively, in sorted path order. */
    public static List<Path> images(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("not a directory: " + dir);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(ImageFolders::isImage).sorted().toList();
        }
    }

    /**
     * The good images to train on: {@code dir/train/good} when {@code dir} is an MVTec-layout
     * category, otherwise every image under {@code dir}.
     */
    public static List<Path> goodTrainingImages(Path dir) throws IOException {
        Path mvtec = dir.resolve("train").resolve("good");
        List<Path> files = images(Files.isDirectory(mvtec) ? mvtec : dir);
        if (files.isEmpty()) {
            throw new IOException("no images (png, jpg, bmp) found under " + dir);
        }
        return files;
    }

    /** A seeded split: the first list trains, the second (about {@code fraction} of them) validates. */
    public static Split split(List<Path> files, double fraction, long seed) {
        List<Path> shuffled = new ArrayList<>(files);
        Collections.shuffle(shuffled, new Random(seed));
        int validation = fraction <= 0 || files.size() < 2 ? 0
                : Math.max(1, (int) Math.round(files.size() * fraction));
        validation = Math.min(validation, files.size() - 1);
        List<Path> val = shuffled.subList(0, validation).stream().sorted().toList();
        List<Path> train = shuffled.subList(validation, shuffled.size()).stream().sorted().toList();
        return new Split(train, val);
    }

    /** Files to train on and files held out for calibration. */
    public record Split(List<Path> train, List<Path> validation) {}
}

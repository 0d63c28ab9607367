package ai.dad.toolkit.cli;

import ai.dad.toolkit.synth.Foreground;
import ai.dad.toolkit.train.ImageFolders;
import ai.dad.imaging.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --foreground auto|none|DIR} option of {@code dad train} and {@code dad synth}: where
 * synthetic anomalies may be pasted. {@code auto} (the default) follows DiffusionAD's recipe
 * without its offline masks: an object image's foreground is estimated from the image
 * ({@link Foreground#estimate}), a texture sample gets a random region
 * ({@link Foreground#randomRegion}). {@code none} allows the whole image. Anything else is a
 * folder of mask files named like the training images (write {@code ./auto} for a folder
 * called auto).
 */
final class ForegroundOption {
    static final String AUTO = "auto";
    static final String NONE = "none";
    static final String DESCRIPTION = "auto (default: objects estimated from each image, textures a random region"
            + " per sample), none (the whole image) or a folder of masks named like the training images.";

    private final String value;
    private final boolean isObject;
    private List<Path> maskFiles;

    ForegroundOption(String value, boolean isObject) {
        this.value = value;
        this.isObject = isObject;
    }

    /** Whether the synthesiser draws a random region per sample: auto on a texture category. */
    boolean randomRegions() {
        return AUTO.equals(value) && !isObject;
    }

    /** The foreground of one training image at its size, or {@code null} when it has none of its own. */
    float[] forImage(Path file, RgbImage image) throws IOException {
        if (NONE.equals(value) || randomRegions()) {
            return null;
        }
        if (AUTO.equals(value)) {
            return Foreground.estimate(image);
        }
        return readMask(file, image.width(), image.height());
    }

    /** {@link #forImage} of each image, or {@code null} when no image has one. */
    /** Whether anomalies may go anywhere in an image without looking at it first (none, or texture regions). */
    boolean wholeImage() {
        return NONE.equals(value) || randomRegions();
    }

    List<float[]> forImages(List<Path> files, List<RgbImage> images) throws IOException {
        if (wholeImage()) {
            return null;
        }
        List<float[]> out = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            out.add(forImage(files.get(i), images.get(i)));
        }
        return out;
    }

    /** The mask file with the image's base name (any image extension) in the folder, binarised at 0.5. */
    private float[] readMask(Path file, int width, int height) throws IOException {
        Path dir = Path.of(value);
        if (maskFiles == null) {
            maskFiles = ImageFolders.images(dir);
        }
        String base = baseName(file);
        Path mask = maskFiles.stream().filter(m -> baseName(m).equals(base)).findFirst()
                .orElseThrow(() -> new IOException("no foreground mask for " + file + " in " + dir));
        return RgbImage.readBinaryMask(mask, width, height);
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}

package ai.dad.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The test split of an MVTec AD-layout category, as both {@code dad eval} and
 * {@code dad-client eval} read it: {@code test/<type>/**} image files (png, jpg, jpeg, bmp, any
 * case; sorted by path), type {@code good} being the normal one, with masks in
 * {@code ground_truth/<type>/<name>_mask.png}. A defect type without a {@code ground_truth/<type>}
 * folder has no masks (OK/NG labels only: image-level metrics); one with the folder must have a
 * mask for every image, so that a forgotten file is an error rather than a silent gap.
 */
public final class TestSet {

    /** The defect type of normal images. */
    public static final String GOOD = "good";

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp");

    private TestSet() {}

    /**
     * One test image.
     *
     * @param image the file
     * @param defectType {@code good} or the defect's folder name
     * @param mask its ground-truth mask, null for good images and for types without masks
     * @param frameId a stable name: {@code <type>/<path under the type's folder>}
     */
    public record Item(Path image, String defectType, Path mask, String frameId) {
        public boolean anomalous() {
            return !GOOD.equals(defectType);
        }
    }

    /** Every test image of the category, sorted by type then path. */
    public static List<Item> load(Path category) throws IOException {
        Path test = category.resolve("test");
        if (!Files.isDirectory(test)) {
            throw new IOException(category + " is not an MVTec-layout category: " + test
                    + " does not exist");
        }
        List<Path> types;
        try (Stream<Path> list = Files.list(test)) {
            types = list.filter(Files::isDirectory).sorted().toList();
        }
        List<Item> items = new ArrayList<>();
        for (Path typeDir : types) {
            String type = typeDir.getFileName().toString();
            Path masks = category.resolve("ground_truth").resolve(type);
            boolean hasMasks = !GOOD.equals(type) && Files.isDirectory(masks);
            List<Path> images;
            try (Stream<Path> walk = Files.walk(typeDir)) {
                images = walk.filter(Files::isRegularFile).filter(TestSet::isImage).sorted().toList();
            }
            for (Path image : images) {
                Path mask = null;
                if (hasMasks) {
                    String name = image.getFileName().toString();
                    mask = masks.resolve(name.substring(0, name.lastIndexOf('.')) + "_mask.png");
                    if (!Files.isRegularFile(mask)) {
                        throw new IOException("missing ground-truth mask " + mask + " for " + image
                                + " (remove " + masks + " to evaluate " + type + " without masks)");
                    }
                }
                String rel = typeDir.relativize(image).toString()
                        .replace(image.getFileSystem().getSeparator(), "/");
                items.add(new Item(image, type, mask, type + "/" + rel));
            }
        }
        if (items.isEmpty()) {
            throw new IOException("no test images under " + test);
        }
        return items;
    }

    /** At most {@code perType} images of each type (the first ones); all of them for null. */
    public static List<Item> subset(List<Item> all, Integer perType) {
        if (perType == null) {
            return all;
        }
        Map<String, Integer> taken = new HashMap<>();
        List<Item> out = new ArrayList<>();
        for (Item item : all) {
            if (taken.merge(item.defectType(), 1, Integer::sum) <= perType) {
                out.add(item);
            }
        }
        return out;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}

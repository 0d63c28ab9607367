package ai.dad.djl.eval;

import ai.dad.djl.train.ImageFolders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test split of an MVTec AD-layout category: {@code test/<type>/*.png} with masks in
 * {@code ground_truth/<type>/<name>_mask.png}; type {@code good} has no masks.
 */
public final class TestSet {
    public static final String GOOD = "good";

    private TestSet() {}

    /** One test image: its defect type ({@code good} for normal), and its mask file (null for good). */
    public record Item(Path image, String defectType, Path mask) {
        public boolean anomalous() {
            return !GOOD.equals(defectType);
        }
    }

    /** Every test image of {@code category}, sorted by type then name. */
    public static List<Item> load(Path category) throws IOException {
        Path test = category.resolve("test");
        if (!Files.isDirectory(test)) {
            throw new IOException(category + " is not an MVTec-layout category: " + test + " does not exist");
        }
        List<Item> items = new ArrayList<>();
        List<Path> types;
        try (Stream<Path> list = Files.list(test)) {
            types = list.filter(Files::isDirectory).sorted().toList();
        }
        for (Path typeDir : types) {
            String type = typeDir.getFileName().toString();
            for (Path image : ImageFolders.images(typeDir)) {
                Path mask = null;
                if (!GOOD.equals(type)) {
                    String name = image.getFileName().toString();
                    String base = name.substring(0, name.lastIndexOf('.'));
                    mask = category.resolve("ground_truth").resolve(type).resolve(base + "_mask.png");
                    if (!Files.isRegularFile(mask)) {
                        throw new IOException("missing ground-truth mask " + mask + " for " + image);
                    }
                }
                items.add(new Item(image, type, mask));
            }
        }
        if (items.isEmpty()) {
            throw new IOException("no test images under " + test);
        }
        return items;
    }
}

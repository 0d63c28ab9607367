package ai.dad.client.stream;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the command line's paths into the ordered list of frames to send.
 *
 * <p>Folders are walked recursively (following links) and their image files sorted by relative
 * path, component by component; roots keep the order they were given in. Only names ending in
 * {@code .png}, {@code .jpg}, {@code .jpeg} or {@code .bmp} (any case) are kept, and the
 * extension is all that is checked: a file named like an image that is not one is still sent, and
 * the service reports it. A root that does not exist, or a path the walk cannot read, becomes an
 * entry that fails locally, so that the run reports it instead of silently skipping it. Only
 * paths are collected here; file contents are read one at a time just before sending.
 */
public final class FrameWalker {

    /** The extensions that are sent, lower case, without the dot. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp");

    private FrameWalker() {}

    /** Whether a file name has one of the image {@link #EXTENSIONS}. */
    public static boolean isImageName(String name) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Walks every root in order; see the class comment for the rules. */
    public static List<FrameFile> walk(List<Path> roots) throws IOException {
        List<FrameFile> frames = new ArrayList<>();
        for (Path root : roots) {
            frames.addAll(walk(root));
        }
        return frames;
    }

    /** Walks one root: a folder (recursively), a single file, or a missing path. */
    public static List<FrameFile> walk(Path root) throws IOException {
        if (!Files.exists(root)) {
            String reason = Files.exists(root, LinkOption.NOFOLLOW_LINKS)
                    ? "broken link" : "no such file or folder";
            return List.of(new FrameFile(root, frameIdOf(root.getFileName(), root), reason));
        }
        if (!Files.isDirectory(root)) {
            return isImageName(root.getFileName().toString())
                    ? List.of(new FrameFile(root, root.getFileName().toString()))
                    : List.of();
        }
        List<Path> found = new ArrayList<>();
        List<FrameFile> failed = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (!attrs.isDirectory() && isImageName(file.getFileName().toString())) {
                            found.add(root.relativize(file));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        if (!(e instanceof FileSystemLoopException)) {
                            Path rel = root.relativize(file);
                            failed.add(new FrameFile(file, frameIdOf(rel, file),
                                    "cannot read: " + e));
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
        found.sort(BY_COMPONENTS);
        List<FrameFile> frames = new ArrayList<>(found.size() + failed.size());
        for (Path rel : found) {
            frames.add(new FrameFile(root.resolve(rel), frameIdOf(rel, rel)));
        }
        frames.addAll(failed);
        return frames;
    }

    /** Orders relative paths name by name, so a folder's files stay together. */
    static final Comparator<Path> BY_COMPONENTS = (a, b) -> {
        int n = Math.min(a.getNameCount(), b.getNameCount());
        for (int i = 0; i < n; i++) {
            int c = a.getName(i).toString().compareTo(b.getName(i).toString());
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.getNameCount(), b.getNameCount());
    };

    private static String frameIdOf(Path rel, Path fallback) {
        Path p = rel == null || rel.toString().isEmpty() ? fallback : rel;
        return p.toString().replace(p.getFileSystem().getSeparator(), "/");
    }
}

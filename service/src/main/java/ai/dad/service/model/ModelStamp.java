package ai.dad.service.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a model directory looks like at one scan: the directory it really is (after symbolic
 * links) and the name, size and modification time of every file directly in it. A model whose
 * stamp changes is loaded again, whatever its manifest's {@code version} says; no file is read,
 * so a scan stays cheap with weights of several GB.
 */
public record ModelStamp(Path realDir, List<FileStamp> files) {

    public record FileStamp(String name, long size, FileTime modified) {}

    /** The stamp of {@code dir} now; fails if it vanishes while being looked at. */
    static ModelStamp of(Path dir) throws IOException {
        Path real = dir.toRealPath();
        List<FileStamp> files = new ArrayList<>();
        try (Stream<Path> list = Files.list(real)) {
            for (Path file : list.sorted().toList()) {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                if (a.isRegularFile()) {
                    files.add(new FileStamp(file.getFileName().toString(), a.size(), a.lastModifiedTime()));
                }
            }
        }
        return new ModelStamp(real, List.copyOf(files));
    }
}

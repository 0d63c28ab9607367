package ai.dad.client.stream;

import java.nio.file.Path;

/**
 * One file to inspect: where it is on disk and the {@code frame_id} sent for it (its path
 * relative to the root it was found under, with {@code /} separators).
 *
 * @param path the file on disk
 * @param frameId the id sent in {@code InspectRequest.frame_id}
 * @param walkError set when the walk itself failed at this path (e.g. a folder that cannot be
 *     listed); such an entry is reported as a local error and never sent
 */
public record FrameFile(Path path, String frameId, String walkError) {

    /** A file found by the walk. */
    public FrameFile(Path path, String frameId) {
        this(path, frameId, null);
    }

    /** The name used for output files: the frame id without its extension. */
    public String stem() {
        int slash = frameId.lastIndexOf('/');
        int dot = frameId.lastIndexOf('.');
        return dot > slash + 1 ? frameId.substring(0, dot) : frameId;
    }
}

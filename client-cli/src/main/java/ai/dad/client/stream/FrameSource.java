package ai.dad.client.stream;

import java.util.List;

/**
 * Where a stream run takes its frames from: a fixed list ({@link #of}) or a folder that keeps
 * receiving files ({@link FolderWatcher}). The runner pulls frames only while its window has room,
 * so a source never holds more than paths.
 */
public interface FrameSource extends AutoCloseable {

    /** The next frame to send, or null when none is ready now. */
    FrameFile next();

    /** Whether no frame will ever come again (and every frame was taken). */
    boolean exhausted();

    /** Frames this source has made ready so far (for a list: all of them). */
    int total();

    /** Tells the source whom to wake up when new frames become ready; called once, before use. */
    default void onAvailable(Runnable wake) {}

    /** Stops whatever the source runs in the background. */
    @Override
    default void close() {}

    /** The frames of a list, in order. */
    static FrameSource of(List<FrameFile> frames) {
        return new FrameSource() {
            private int next;

            @Override
            public synchronized FrameFile next() {
                return next < frames.size() ? frames.get(next++) : null;
            }

            @Override
            public synchronized boolean exhausted() {
                return next >= frames.size();
            }

            @Override
            public int total() {
                return frames.size();
            }
        };
    }
}

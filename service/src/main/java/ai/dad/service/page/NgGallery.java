package ai.dad.service.page;

import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.Verdict;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/**
 * The last {@link #FRAMES} NG frames, in memory only. An NG verdict adds its frame and map (at
 * model size, which the service has anyway) in constant time; the thumbnail is drawn only when a
 * page asks for it, once, so with no page open the gallery costs the line nothing but the memory
 * of these frames.
 */
final class NgGallery {
    static final int FRAMES = 12;

    /** One NG frame as the page lists it. */
    record NgFrame(long seq, String model, String version, String frameId, long epochMillis, double score,
            double threshold) {}

    /** A frame of the gallery: what the page lists, and the pixels for its thumbnail until it is drawn. */
    private static final class Entry {
        final NgFrame frame;
        RgbImage image;
        float[] map;
        final int frameWidth;
        final int frameHeight;
        byte[] thumbnail;

        Entry(NgFrame frame, RgbImage image, float[] map, int frameWidth, int frameHeight) {
            this.frame = frame;
            this.image = image;
            this.map = map;
            this.frameWidth = frameWidth;
            this.frameHeight = frameHeight;
        }
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>(FRAMES);
    private long sequence;

    /** Adds an NG verdict's frame ({@code image} and {@code map} of the same size); keeps only the verdict's listed fields. */
    synchronized void add(Verdict verdict, RgbImage image, float[] map, int frameWidth, int frameHeight) {
        if (entries.size() == FRAMES) {
            entries.removeLast();
        }
        NgFrame frame = new NgFrame(++sequence, verdict.getModel(), verdict.getModelVersion(), verdict.getFrameId(),
                System.currentTimeMillis(), verdict.getScore(), verdict.getThreshold());
        entries.addFirst(new Entry(frame, image, map, frameWidth, frameHeight));
    }

    /** Newest first. */
    synchronized List<NgFrame> recent() {
        return entries.stream().map(e -> e.frame).toList();
    }

    /** The JPEG thumbnail of frame {@code seq}, drawn on first request; empty once the frame has left the gallery. */
    Optional<byte[]> thumbnail(long seq) throws IOException {
        Entry entry;
        RgbImage image;
        float[] map;
        synchronized (this) {
            entry = entries.stream().filter(e -> e.frame.seq() == seq).findFirst().orElse(null);
            if (entry == null) {
                return Optional.empty();
            }
            if (entry.thumbnail != null) {
                return Optional.of(entry.thumbnail);
            }
            image = entry.image;
            map = entry.map;
        }
        // Drawn outside the lock, so verdicts never wait for it; two pages asking at once both draw it.
        byte[] jpeg = Thumbnail.render(image, map, entry.frameWidth, entry.frameHeight);
        synchronized (this) {
            entry.thumbnail = jpeg;
            entry.image = null; // the thumbnail is all the page needs from now on
            entry.map = null;
        }
        return Optional.of(jpeg);
    }
}

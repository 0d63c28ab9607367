package ai.dad.service.page;

import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.Verdict;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The last {@link #FRAMES} NG frames with their thumbnails, in memory only. Thumbnails are drawn
 * by one background thread fed by a queue of as many frames as the gallery shows (more would be
 * drawn only to be pushed out): when it is full the frame is dropped (and counted) rather than
 * slowing the verdicts down or piling up frames in memory.
 */
final class NgGallery implements AutoCloseable {
    static final int FRAMES = 12;
    private static final Logger LOG = Logger.getLogger(NgGallery.class);

    /** One NG frame as the page shows it. */
    record NgFrame(long seq, String model, String version, String frameId, long epochMillis, double score,
            double threshold, Thumbnail thumbnail) {}

    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final ArrayDeque<NgFrame> frames = new ArrayDeque<>(FRAMES);
    private final ThreadPoolExecutor renderer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(FRAMES), r -> {
                Thread t = new Thread(r, "dad-page-thumbnails");
                t.setDaemon(true);
                return t;
            }, (task, executor) -> dropped.incrementAndGet());

    /** Queues an NG verdict's frame ({@code frame} at model size, {@code map} at {@code mapSize}) for its thumbnail. */
    void offer(Verdict verdict, RgbImage frame, float[] map, int mapSize, int frameWidth, int frameHeight) {
        // Only these fields are queued, not the verdict: it may carry maps at the frame's full size.
        String model = verdict.getModel();
        String version = verdict.getModelVersion();
        String frameId = verdict.getFrameId();
        double score = verdict.getScore();
        double threshold = verdict.getThreshold();
        long epochMillis = System.currentTimeMillis();
        renderer.execute(() -> {
            try {
                Thumbnail thumbnail = Thumbnail.render(frame, map, mapSize, frameWidth, frameHeight);
                add(new NgFrame(sequence.incrementAndGet(), model, version, frameId, epochMillis, score, threshold,
                        thumbnail));
            } catch (Exception e) {
                LOG.warn("cannot draw the thumbnail of frame " + frameId, e);
            }
        });
    }

    private synchronized void add(NgFrame frame) {
        if (frames.size() == FRAMES) {
            frames.removeLast();
        }
        frames.addFirst(frame);
    }

    /** Newest first. */
    synchronized List<NgFrame> recent() {
        return new ArrayList<>(frames);
    }

    synchronized Optional<Thumbnail> thumbnail(long seq) {
        return frames.stream().filter(f -> f.seq() == seq).map(NgFrame::thumbnail).findFirst();
    }

    /** NG frames that got no thumbnail because the renderer was busy. */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void close() {
        renderer.shutdownNow();
    }
}

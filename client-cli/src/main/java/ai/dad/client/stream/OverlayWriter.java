package ai.dad.client.stream;

import ai.dad.imaging.Heatmap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Writes {@code <name>_overlay.png} (the frame with its anomaly map blended in as a heat map) and
 * {@code <name>_mask.png} (the service's mask as returned) under the output folder, keeping the
 * frame's relative folders. Encoding runs on one background thread with a short queue; when the
 * queue is full the caller writes itself, which slows the reading of verdicts and so, through
 * flow control, the stream: memory stays bounded however slow the disk is.
 */
public final class OverlayWriter implements AutoCloseable {

    private final Path outDir;
    private final Consumer<String> warn;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    /**
     * @param outDir the output folder (created when needed)
     * @param queue how many frames may wait for the writer thread
     * @param warn where failures are reported, one line each
     */
    public OverlayWriter(Path outDir, int queue, Consumer<String> warn) {
        this.outDir = outDir.toAbsolutePath().normalize();
        this.warn = warn;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queue)), r -> {
                    Thread t = new Thread(r, "dad-client-overlays");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    /** Queues (or, when the queue is full, does) the writing of one frame's overlay and mask. */
    public void submit(FrameFile frame, byte[] image, byte[] mapPng, byte[] maskPng) {
        executor.execute(() -> write(frame, image, mapPng, maskPng));
    }

    /** Where the overlay of a frame goes. */
    public Path overlayPath(FrameFile frame) {
        return target(frame, "_overlay.png");
    }

    /** Where the mask of a frame goes. */
    public Path maskPath(FrameFile frame) {
        return target(frame, "_mask.png");
    }

    /** Overlays written so far. */
    public int written() {
        return written.get();
    }

    /** Frames whose overlay or mask could not be written. */
    public int failed() {
        return failed.get();
    }

    /** Counts a frame whose map could not even be fetched. */
    public void fail(FrameFile frame, String why) {
        failed.incrementAndGet();
        warn.accept("overlay " + frame.frameId() + ": " + why);
    }

    /** Waits up to the timeout for queued frames to be written; returns whether all were. */
    public boolean finish(long timeout, TimeUnit unit) throws InterruptedException {
        executor.shutdown();
        return executor.awaitTermination(timeout, unit);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void write(FrameFile frame, byte[] image, byte[] mapPng, byte[] maskPng) {
        try {
            if (mapPng == null || mapPng.length == 0) {
                throw new IOException("the service returned no map");
            }
            Path overlay = overlayPath(frame);
            Files.createDirectories(overlay.getParent());
            Files.write(overlay, Heatmap.overlayPng(image, mapPng));
            written.incrementAndGet();
            if (maskPng == null || maskPng.length == 0) {
                throw new IOException("the service returned no mask");
            }
            Files.write(maskPath(frame), maskPng);
        } catch (IOException | RuntimeException e) {
            fail(frame, e.getMessage());
        }
    }

    private Path target(FrameFile frame, String suffix) {
        Path p = outDir.resolve(frame.stem() + suffix).normalize();
        if (!p.startsWith(outDir)) {
            // A frame id that climbs out of the folder (never from the walker) stays inside.
            p = outDir.resolve(Path.of(frame.stem()).getFileName() + suffix);
        }
        return p;
    }
}

package ai.dad.service.batch;

import ai.dad.imaging.RgbImage;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.PixelBatch;
import ai.dad.spi.ScoredBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Dynamic batching for one model: frames from every caller and stream join a bounded queue, and
 * one worker thread takes up to {@code maxSize} of them, waiting at most {@code maxDelay} after
 * the first, runs the backend once on the batch, and completes each frame's future.
 *
 * <p>A full queue refuses new frames ({@link QueueFullException}) instead of growing. Frames
 * whose deadline passed, or whose caller cancelled, are dropped before the batch runs. If the
 * backend throws, only that batch's frames fail. {@link #close()} stops accepting and finishes
 * what was already accepted.
 */
public final class Batcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Batcher.class);

    private final String model;
    private final InspectionBackend backend;
    private final int maxSize;
    private final long maxDelayNanos;
    private final BlockingQueue<Job> queue;
    private final BatchListener listener;
    private final Thread worker;
    private volatile boolean accepting = true;

    /** One frame waiting for its batch. */
    private record Job(RgbImage image, long deadlineNanos, BooleanSupplier abandoned, long enqueuedNanos,
            CompletableFuture<BatchResult> result) {}

    public Batcher(String model, InspectionBackend backend, int maxSize, Duration maxDelay, int capacity, BatchListener listener) {
        if (maxSize < 1 || capacity < 1) {
            throw new IllegalArgumentException("batch size and queue capacity must be at least 1");
        }
        this.model = model;
        this.backend = backend;
        this.maxSize = maxSize;
        this.maxDelayNanos = maxDelay.toNanos();
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.listener = listener;
        this.worker = new Thread(this::run, "dad-batcher-" + model);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Queues a frame already resized to the model's size.
     *
     * @param deadlineNanos {@link System#nanoTime()} after which the frame is not worth computing,
     *     or {@link Long#MAX_VALUE}
     * @param abandoned true once the caller no longer wants the result (cancelled call or
     *     stream): the frame is then dropped if it has not run yet
     * @return completes with the result, or exceptionally with {@link DeadlineExpiredException}
     *     or the backend's error; cancelling it also drops the frame if it has not run yet
     */
    public CompletableFuture<BatchResult> submit(RgbImage image, long deadlineNanos, BooleanSupplier abandoned)
            throws QueueFullException {
        if (!accepting) {
            throw new QueueFullException("model '" + model + "' is shutting down");
        }
        CompletableFuture<BatchResult> result = new CompletableFuture<>();
        if (!queue.offer(new Job(image, deadlineNanos, abandoned, System.nanoTime(), result))) {
            throw new QueueFullException("model '" + model + "' has " + queue.size()
                    + " frames waiting (dad.batch.queue-capacity); retry later");
        }
        return result;
    }

    /** Frames waiting now. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        while (accepting || !queue.isEmpty()) {
            try {
                Job first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Job> batch = new ArrayList<>(maxSize);
                batch.add(first);
                long until = first.enqueuedNanos() + maxDelayNanos;
                while (batch.size() < maxSize) {
                    long wait = until - System.nanoTime();
                    Job next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
                runBatch(live(batch));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.errorf(e, "batcher of model %s failed outside a batch", model);
            }
        }
    }

    /** Drops cancelled frames and fails expired ones, so no work is spent on either. */
    private List<Job> live(List<Job> batch) {
        long now = System.nanoTime();
        List<Job> live = new ArrayList<>(batch.size());
        for (Job job : batch) {
            if (job.result().isDone()) {
                continue;
            }
            // The deadline first: gRPC also cancels a call whose deadline passed, and such a
            // frame must count as DEADLINE_EXCEEDED, not as CANCELLED.
            if (now - job.deadlineNanos() > 0) {
                job.result().completeExceptionally(new DeadlineExpiredException(
                        "deadline passed after " + micros(now - job.enqueuedNanos()) / 1000 + " ms in the queue; frame not computed"));
                continue;
            }
            if (job.abandoned().getAsBoolean()) {
                job.result().cancel(false);
                continue;
            }
            live.add(job);
        }
        return live;
    }

    private void runBatch(List<Job> batch) {
        if (batch.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        int size = backend.manifest().architecture.imageSize;
        try {
            List<RgbImage> images = new ArrayList<>(batch.size());
            for (Job job : batch) {
                images.add(job.image());
            }
            ScoredBatch scored = backend.inspect(PixelBatch.of(images, size));
            long inference = micros(System.nanoTime() - start);
            listener.batchDone(model, batch.size(), inference);
            for (int i = 0; i < batch.size(); i++) {
                Job job = batch.get(i);
                long queued = micros(start - job.enqueuedNanos());
                listener.queued(model, queued);
                job.result().complete(new BatchResult(scored.scores()[i], scored.map(i), size, queued, inference, batch.size()));
            }
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "model %s failed on a batch of %d frames", model, batch.size());
            listener.batchFailed(model, batch.size(), e);
            for (Job job : batch) {
                job.result().completeExceptionally(e);
            }
        }
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    /** Stops accepting frames, finishes the queued ones (up to {@code timeout}), and stops the worker. */
    public void close(Duration timeout) {
        accepting = false;
        try {
            worker.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.result().completeExceptionally(new QueueFullException("model '" + model + "' shut down before this frame ran"));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}

package ai.dad.service.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.imaging.TestImages;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.PixelBatch;
import ai.dad.spi.ReconstructionSpec;
import ai.dad.spi.ScoredBatch;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batcher's rules with a small SPI backend whose behaviour the test controls (it scores an
 * image by its mean brightness, can hold a batch until released, and can fail one batch).
 */
class BatcherTest {
    private final SmallBackend backend = new SmallBackend();

    @AfterEach
    void close() {
        backend.close();
    }

    @Test
    void framesSubmittedTogetherShareABatch() throws Exception {
        backend.hold = new CountDownLatch(1);
        Batcher batcher = new Batcher("m", backend, 8, Duration.ofMillis(200), 64, BatchListener.NONE);
        List<CompletableFuture<BatchResult>> results = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            results.add(batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false));
        }
        backend.hold.countDown();
        for (CompletableFuture<BatchResult> r : results) {
            assertTrue(r.get(30, TimeUnit.SECONDS).batchSize() >= 1);
        }
        assertTrue(results.stream().anyMatch(r -> r.join().batchSize() > 1), "frames queued together are batched");
        batcher.close();
    }

    @Test
    void fullQueueRefusesInsteadOfGrowing() throws Exception {
        backend.hold = new CountDownLatch(1);
        Batcher batcher = new Batcher("m", backend, 1, Duration.ZERO, 2, BatchListener.NONE);
        CompletableFuture<BatchResult> running = batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false);
        backend.started.await(30, TimeUnit.SECONDS);
        batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false);
        batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false);
        QueueFullException full = assertThrows(QueueFullException.class, () -> batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false));
        assertTrue(full.getMessage().contains("queue-capacity"), full.getMessage());
        backend.hold.countDown();
        running.get(30, TimeUnit.SECONDS);
        batcher.close();
    }

    @Test
    void expiredFramesAreNotComputed() throws Exception {
        Batcher batcher = new Batcher("m", backend, 4, Duration.ZERO, 8, BatchListener.NONE);
        CompletableFuture<BatchResult> late = batcher.submit(TestImages.gradient(8), System.nanoTime() - 1, () -> false);
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(30, TimeUnit.SECONDS));
        assertInstanceOf(DeadlineExpiredException.class, e.getCause());
        assertEquals(0, backend.framesComputed.get(), "no work for an expired frame");
        batcher.close();
    }

    @Test
    void aCallerGoneBecauseItsDeadlinePassedCountsAsDeadlineNotCancel() throws Exception {
        // gRPC cancels a call's context when its deadline passes; the frame must still be reported
        // as DEADLINE_EXCEEDED (so dad_errors_total says why frames were skipped).
        Batcher batcher = new Batcher("m", backend, 4, Duration.ZERO, 8, BatchListener.NONE);
        CompletableFuture<BatchResult> late = batcher.submit(TestImages.gradient(8), System.nanoTime() - 1, () -> true);
        ExecutionException e = assertThrows(ExecutionException.class, () -> late.get(30, TimeUnit.SECONDS));
        assertInstanceOf(DeadlineExpiredException.class, e.getCause());
        assertEquals(0, backend.framesComputed.get());
        batcher.close();
    }

    @Test
    void framesOfCallersThatLeftAreNotComputed() throws Exception {
        backend.hold = new CountDownLatch(1);
        Batcher batcher = new Batcher("m", backend, 1, Duration.ZERO, 8, BatchListener.NONE);
        CompletableFuture<BatchResult> first = batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false);
        backend.started.await(30, TimeUnit.SECONDS);
        CompletableFuture<BatchResult> gone = batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> true);
        backend.hold.countDown();
        first.get(30, TimeUnit.SECONDS);
        batcher.close();
        assertTrue(gone.isCancelled());
        assertEquals(1, backend.framesComputed.get(), "only the frame whose caller stayed was computed");
    }

    @Test
    void aFailingBatchFailsOnlyItsFramesAndTheBatcherRecovers() throws Exception {
        backend.failNext = true;
        Batcher batcher = new Batcher("m", backend, 4, Duration.ZERO, 8, BatchListener.NONE);
        CompletableFuture<BatchResult> failed = batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false);
        ExecutionException e = assertThrows(ExecutionException.class, () -> failed.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("injected"), e.getCause().getMessage());
        assertTrue(batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false).get(30, TimeUnit.SECONDS).score() > 0);
        batcher.close();
    }

    @Test
    void closeFinishesAcceptedFramesAndRefusesNewOnes() throws Exception {
        backend.hold = new CountDownLatch(1);
        Batcher batcher = new Batcher("m", backend, 2, Duration.ZERO, 16, BatchListener.NONE);
        List<CompletableFuture<BatchResult>> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(batcher.submit(TestImages.checkerboard(8, 2), Long.MAX_VALUE, () -> false));
        }
        Thread closer = new Thread(() -> batcher.close(Duration.ofSeconds(30)));
        closer.start();
        // close() stops accepting, then waits for the worker: once the closer waits, new frames are refused.
        while (closer.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        assertThrows(QueueFullException.class, () -> batcher.submit(TestImages.gradient(8), Long.MAX_VALUE, () -> false));
        backend.hold.countDown();
        closer.join();
        for (CompletableFuture<BatchResult> r : accepted) {
            assertTrue(r.isDone() && !r.isCompletedExceptionally(), "accepted frames are finished, not dropped");
        }
        assertEquals(5, backend.framesComputed.get());
    }

    /** Scores an image by its mean brightness; the map is the image's first channel. */
    private static final class SmallBackend implements InspectionBackend {
        private final NDManager manager = NDManager.newBaseManager("PyTorch");
        private final ModelManifest manifest = new ModelManifest();
        final AtomicInteger framesComputed = new AtomicInteger();
        final CountDownLatch started = new CountDownLatch(1);
        volatile CountDownLatch hold;
        volatile boolean failNext;

        SmallBackend() {
            manifest.architecture.imageSize = 8;
        }

        @Override
        public ModelManifest manifest() {
            return manifest;
        }

        @Override
        public NDManager manager() {
            return manager;
        }

        @Override
        public ScoredBatch inspect(PixelBatch batch, ReconstructionSpec spec, NoiseSource noise, boolean withReconstructions) {
            started.countDown();
            CountDownLatch gate = hold;
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("injected failure");
            }
            framesComputed.addAndGet(batch.count());
            return InspectionBackend.super.inspect(batch, spec, noise, withReconstructions);
        }

        @Override
        public NDArray reconstruct(NDArray images, ReconstructionSpec spec, NoiseSource noise) {
            return images;
        }

        @Override
        public NDArray segment(NDArray images, NDArray reconstructions) {
            return images.get(":, 0:1, :, :");
        }

        @Override
        public NDArray fuse(NDArray maps) {
            return maps.reshape(maps.getShape().get(0), -1).mean(new int[] {1});
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}

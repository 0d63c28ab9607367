package ai.dad.service.model;

import ai.dad.service.batch.Batcher;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One version of a model, ready to serve: its id (the name of its directory), the backend
 * holding its weights, the batcher that feeds it, and where it runs.
 *
 * <p>It counts its holders: the registry while it is the version served, and each frame from
 * lookup to verdict ({@link #acquire()} / {@link #release()}). When a newer version replaces it,
 * or its directory is removed, the registry lets go; the frames that started on it finish on
 * it, and once the count is zero no frame can reach it again and it can be closed.
 */
public final class LoadedModel {
    private final String id;
    private final InspectionBackend backend;
    private final Batcher batcher;
    private final String device;
    private final double loadSeconds;
    private final AtomicInteger holders = new AtomicInteger(1);

    LoadedModel(String id, InspectionBackend backend, Batcher batcher, String device, double loadSeconds) {
        this.id = id;
        this.backend = backend;
        this.batcher = batcher;
        this.device = device;
        this.loadSeconds = loadSeconds;
    }

    public String id() {
        return id;
    }

    public InspectionBackend backend() {
        return backend;
    }

    public Batcher batcher() {
        return batcher;
    }

    public String device() {
        return device;
    }

    public double loadSeconds() {
        return loadSeconds;
    }

    public ModelManifest manifest() {
        return backend.manifest();
    }

    public int imageSize() {
        return manifest().architecture.imageSize;
    }

    /** Takes a hold for one frame; false once the version has been let go by everyone (it is closing). */
    boolean acquire() {
        while (true) {
            int n = holders.get();
            if (n == 0) {
                return false;
            }
            if (holders.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a hold taken by {@link #acquire()} (or, for the registry, its own). */
    public void release() {
        if (holders.decrementAndGet() < 0) {
            throw new IllegalStateException("model " + id + " released more often than acquired");
        }
    }

    /** True once nobody holds this version: it takes no frames and has none left. */
    boolean drained() {
        return holders.get() == 0;
    }

    /** Finishes what is queued (up to {@code timeout}) and frees the weights. */
    void close(Duration timeout) {
        batcher.close(timeout);
        backend.close();
    }
}

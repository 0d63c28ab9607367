package ai.dad.service.batch;

/** Observes the batcher, for metrics. All methods are called on the batcher's thread. */
public interface BatchListener {
    void batchDone(String model, int size, long inferenceMicros);

    void queued(String model, long queueMicros);

    void batchFailed(String model, int size, Throwable error);

    /** A no-op listener. */
    BatchListener NONE = new BatchListener() {
        @Override
        public void batchDone(String model, int size, long inferenceMicros) {}

        @Override
        public void queued(String model, long queueMicros) {}

        @Override
        public void batchFailed(String model, int size, Throwable error) {}
    };
}

package ai.dad.service.batch;

/** The model's queue is full (or the model is shutting down); the caller should back off. */
public final class QueueFullException extends Exception {
    public QueueFullException(String message) {
        super(message);
    }
}

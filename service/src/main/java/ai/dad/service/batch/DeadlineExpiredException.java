package ai.dad.service.batch;

/** The frame's deadline passed while it waited; it was not computed. */
public final class DeadlineExpiredException extends Exception {
    public DeadlineExpiredException(String message) {
        super(message);
    }
}

package ai.dad.service.frame;

/** A request's frame or options cannot be used; the message names the problem for the caller. */
public final class InvalidFrameException extends Exception {
    public InvalidFrameException(String message) {
        super(message);
    }

    public InvalidFrameException(String message, Throwable cause) {
        super(message, cause);
    }
}

package ai.dad.service.model;

/** The service cannot take frames now: models still loading, failed to load, or draining for shutdown. */
public final class ServiceUnavailableException extends Exception {
    public ServiceUnavailableException(String message) {
        super(message);
    }
}

package ai.dad.service.model;

/** A request named a model this service does not have. */
public final class ModelNotFoundException extends Exception {
    public ModelNotFoundException(String message) {
        super(message);
    }
}

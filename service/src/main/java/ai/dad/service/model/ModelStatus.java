package ai.dad.service.model;

/**
 * What the service knows of one model id: the version serving, if any, and how the latest
 * version found in its directory fared.
 *
 * @param serving the version taking frames, or null (the first version is loading, or failed)
 * @param latest the latest version found: serving, still loading, or failed to load
 * @param message why, when {@code latest} is not serving (the load error, or what is loading); else empty
 * @param stamp the directory as it was when the latest version was read
 */
public record ModelStatus(String id, LoadedModel serving, Latest latest, String message, ModelStamp stamp) {

    /** How the latest version of a model fared. */
    public enum Latest { SERVING, LOADING, FAILED }
}

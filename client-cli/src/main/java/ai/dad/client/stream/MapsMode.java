package ai.dad.client.stream;

/** Which frames get an overlay and a mask written with {@code --out}. */
public enum MapsMode {
    /** Only frames judged NG (the default). */
    NG,
    /** Every judged frame. */
    ALL,
    /** None: no maps are requested. */
    NONE
}

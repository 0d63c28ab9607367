package ai.dad.djl;

/**
 * Keeps DJL from reaching the network, whoever starts the JVM and however: without these
 * properties DJL may download engines and, at start-up, query the EC2 metadata address and send
 * telemetry. Must run before DJL's {@code Engine} is first used; the backend's entry points call
 * it first ({@link EngineSetup}).
 */
public final class Offline {
    private Offline() {}

    /** Turns on DJL's offline mode unless explicitly configured, and always opts out of telemetry. */
    public static void enforce() {
        if (System.getProperty("ai.djl.offline") == null && System.getenv("DJL_OFFLINE") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.setProperty("OPT_OUT_TRACKING", "true");
    }
}

package ai.dad.djl;

/**
 * What the backend does before it first touches DJL: offline mode ({@link Offline}) and the
 * malloc settings ({@link NativeMemory}). Called from the entry points' methods, not from static
 * initialisers, so that nothing reaches a native library while a class is merely initialised (a
 * native image initialises classes when it is built, not when it runs). Cheap after the first call.
 */
final class EngineSetup {
    private EngineSetup() {}

    static void ensure() {
        Offline.enforce();
        NativeMemory.tune();
    }
}

package ai.dad.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of the inspection service, under the prefix {@code dad.} (application.properties or env). */
@ConfigMapping(prefix = "dad")
public interface ServiceConfig {

    Models models();

    /** Backend name to use; empty picks the available backend of highest rank. */
    Optional<String> backend();

    /** Device for the backend: cpu, gpu or gpu:N; empty: a GPU if there is one. */
    Optional<String> device();

    /** Folder of plugin jars (schedules, segmentation heads, backends); optional. */
    Optional<String> pluginsDir();

    Batch batch();

    Frames frames();

    Auth auth();

    /** How long shutdown waits for accepted frames to finish. */
    @WithDefault("20s")
    Duration drainTimeout();

    interface Auth {
        /**
         * Bearer tokens that may call the service (comma-separated); empty: no authentication.
         * Prefer {@code token-file} in production so tokens stay out of the process list.
         */
        Optional<List<String>> tokens();

        /** A file with one token per line (blank lines and # comments ignored). */
        Optional<String> tokenFile();

        /** Whether grpc.health.v1 stays open without a token (probes usually carry none). */
        @WithDefault("true")
        boolean healthOpen();
    }

    interface Models {
        /** Folder holding one model directory per product (each with a manifest.json), named by the model id. */
        @WithDefault("models")
        String dir();

        /** The model used when a request names none; empty: the first serving model id in order (the only one, if one). */
        Optional<String> defaultModel();

        /**
         * How often the folder is scanned for new, changed and removed models, which are then
         * loaded or unloaded while the service runs; 0 scans only at start.
         */
        @WithDefault("5s")
        Duration pollInterval();
    }

    interface Batch {
        /** Most frames per forward pass. */
        @WithDefault("8")
        int maxSize();

        /** Longest a frame waits for others to join its batch. */
        @WithDefault("5ms")
        Duration maxDelay();

        /** Frames waiting per model; beyond it requests get RESOURCE_EXHAUSTED. */
        @WithDefault("64")
        int queueCapacity();
    }

    interface Frames {
        /** Largest decoded image accepted, in pixels; checked from the header before decoding. */
        @WithDefault("40000000")
        long maxPixels();

        /** Longest frame_id, in UTF-8 bytes. */
        @WithDefault("256")
        int maxFrameIdBytes();

        /** Frames a stream may have in flight (received but not yet answered). */
        @WithDefault("32")
        int streamWindow();
    }
}

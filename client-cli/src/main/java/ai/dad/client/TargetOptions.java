package ai.dad.client;

import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** The options every command shares: where the service is and how long a call may take. */
public final class TargetOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "localhost:9000",
            description = "The service (plaintext gRPC), host:port or a gRPC target URI "
                    + "(default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--deadline-ms", paramLabel = "N",
            description = "Deadline of the call in milliseconds (stream: of the whole stream; "
                    + "default: none for stream, else per command).")
    Long deadlineMs;

    /** The deadline given, or the command's default; null means none. */
    Duration deadline(Duration fallback) {
        return deadlineMs == null || deadlineMs <= 0 ? fallback : Duration.ofMillis(deadlineMs);
    }

    /** Opens the channel with the factory of the running command line. */
    ManagedChannel open(DadClient client) {
        return client.channels().open(target);
    }

    /** Shuts a channel down, politely first. */
    static void close(ManagedChannel channel) {
        channel.shutdown();
        try {
            if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
                channel.shutdownNow();
            }
        } catch (InterruptedException e) {
            channel.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

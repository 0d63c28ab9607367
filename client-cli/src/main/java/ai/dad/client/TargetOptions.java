package ai.dad.client;

import ai.dad.client.net.Backoff;
import ai.dad.client.net.BearerToken;
import ai.dad.client.net.Connection;
import ai.dad.client.net.Tls;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The connection options every command shares: where the service is, transport security, the
 * bearer token, deadlines and retries.
 */
public final class TargetOptions {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "localhost:9000",
            description = "The service: host:port or a gRPC target URI such as "
                    + "dns:///inspector:9000 (round-robin over its addresses; "
                    + "default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--tls", description = "Use TLS, trusting the system's CAs.")
    boolean tls;

    @Option(names = "--ca", paramLabel = "FILE",
            description = "Use TLS, trusting only the PEM certificate(s) in FILE.")
    Path ca;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "Client certificate, PEM, for mutual TLS (with --key; implies TLS).")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE",
            description = "Private key of --cert, PEM (PKCS#8).")
    Path key;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Bearer token sent with every call (other users can see it in the "
                    + "process list: prefer --token-file).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File whose first line that is not blank or a # comment is the "
                    + "bearer token.")
    Path tokenFile;

    @Option(names = "--deadline-ms", paramLabel = "N",
            description = "Deadline in milliseconds: of each call attempt (inspect, models, "
                    + "health), of the whole stream (stream, eval; default: none).")
    Long deadlineMs;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
            description = "Retry calls that fail with UNAVAILABLE up to N times in a row, "
                    + "waiting 250 ms, 500 ms, 1 s, ... (at most 10 s) between tries; the stream "
                    + "is reopened and its unanswered frames sent again (default: ${DEFAULT-VALUE}).")
    int retries;

    /** The deadline given, or the command's default; null means none. */
    Duration deadline(Duration fallback) {
        return deadlineMs == null || deadlineMs <= 0 ? fallback : Duration.ofMillis(deadlineMs);
    }

    /** The retry policy of {@code --retries}. */
    Backoff backoff() {
        return Backoff.retries(retries);
    }

    /**
     * Opens the connection with the factory of the running command line.
     *
     * @param err where retries and warnings go
     * @throws IOException when a certificate, key or token file cannot be read
     * @throws IllegalArgumentException for options that do not go together
     */
    Connection open(DadClient client, PrintWriter err) throws IOException {
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must be >= 0");
        }
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("give --token or --token-file, not both");
        }
        String bearer = tokenFile != null ? BearerToken.read(tokenFile)
                : token != null ? BearerToken.check(token, "--token") : null;
        ManagedChannel managed = client.channels().open(target, Tls.credentials(tls, ca, cert, key));
        Channel channel = managed;
        if (bearer != null) {
            if (!Tls.wanted(tls, ca, cert)) {
                warn(err, "warning: sending the bearer token without TLS; anyone on the path "
                        + "can read it");
            }
            channel = ClientInterceptors.intercept(managed, BearerToken.interceptor(bearer));
        }
        return new Connection(managed, channel, backoff(), line -> warn(err, line));
    }

    private static void warn(PrintWriter err, String line) {
        synchronized (err) {
            err.println("dad-client: " + line);
            err.flush();
        }
    }
}

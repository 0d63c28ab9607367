package ai.dad.service.client;

import ai.dad.client.ChannelFactory;
import ai.dad.client.DadClient;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** Runs the real {@code dad-client} command line in this JVM against the service under test. */
final class ClientRuns {

    /** What one command line printed and returned. */
    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }

        /** The JSON Lines of {@code --format json}. */
        List<JsonObject> json() {
            return lines().stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private ClientRuns() {}

    /** The service's test gRPC port. */
    static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class)
                .orElse(9001);
    }

    /** {@code localhost:<test port>}. */
    static String target() {
        return "localhost:" + port();
    }

    /** Runs {@code dad-client ARGS} over real (plaintext or TLS) channels. */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DadClient.execute(ChannelFactory.PLAINTEXT, new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Waits (up to two minutes) until {@code dad-client health} says SERVING. */
    static void awaitServing(String... connection) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        String[] args = new String[connection.length + 3];
        args[0] = "health";
        args[1] = "--target";
        args[2] = target();
        System.arraycopy(connection, 0, args, 3, connection.length);
        Result r;
        while ((r = run(args)).code() != 0) {
            if (System.nanoTime() > until) {
                throw new AssertionError("service did not become SERVING: " + r);
            }
            Thread.sleep(200);
        }
    }

    /** A fresh folder under {@code target/client-tests}. */
    static Path freshDir(String name) throws IOException {
        Path base = Path.of("target", "client-tests");
        Files.createDirectories(base);
        return Files.createTempDirectory(base, name + "-").toAbsolutePath();
    }
}

package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.Verdict;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged application, started with {@code java -jar} exactly as a user would, answers a
 * plain grpc-java client (no Quarkus on this side) and grpc.health.v1 probes, and exits
 * cleanly on SIGTERM.
 */
class PackagedAppIT {

    @Test
    void plainGrpcClientAndHealthProbesWork() throws Exception {
        Path app = Path.of("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.isRegularFile(app), "package the app first (mvn verify does)");
        int grpcPort = freePort();
        int httpPort = freePort();
        Path log = Files.createTempFile("dad-service", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Ddad.models.dir=" + Path.of("..", "models").toAbsolutePath(),
                "-Dquarkus.grpc.server.port=" + grpcPort, "-Dquarkus.http.port=" + httpPort, "-jar", app.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        Process service = builder.start();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            ServingStatus status = ServingStatus.UNKNOWN;
            while (status != ServingStatus.SERVING && System.nanoTime() < until && service.isAlive()) {
                try {
                    status = health.withDeadlineAfter(2, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus();
                } catch (RuntimeException notUpYet) {
                    Thread.sleep(200);
                }
            }
            assertEquals(ServingStatus.SERVING, status, () -> "service log:\n" + read(log));
            Verdict verdict = InspectorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                    .inspect(Frames.request("plain-client", Frames.png(2, 96)));
            assertEquals("plain-client", verdict.getFrameId());
            assertEquals("demo", verdict.getModel());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            service.destroy(); // SIGTERM: drain and exit
            boolean exited = service.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                service.destroyForcibly();
            }
            assertTrue(exited, "the service exits on SIGTERM");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}

package ai.dad.service.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.ListModelsRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * TLS on the gRPC port with a certificate generated for the test (openssl), and bearer-token
 * authentication: no token or a wrong one is UNAUTHENTICATED, the right one works, health stays
 * open for probes, and plaintext connections are refused.
 */
@QuarkusTest
@TestProfile(TlsAndTokenTest.Secured.class)
class TlsAndTokenTest {
    static final Path DIR = Path.of("target/tls-test");
    static final String TOKEN = "line-7-station-3-token";

    public static class Secured implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            generateCertificate();
            return Map.of(
                    "quarkus.grpc.server.plain-text", "false",
                    "quarkus.grpc.server.ssl.certificate", DIR.resolve("server.crt").toAbsolutePath().toString(),
                    "quarkus.grpc.server.ssl.key", DIR.resolve("server.key").toAbsolutePath().toString(),
                    "dad.auth.tokens", TOKEN + ",another-token");
        }
    }

    static void generateCertificate() {
        try {
            Files.createDirectories(DIR);
            Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", DIR.resolve("server.key").toString(), "-out", DIR.resolve("server.crt").toString(),
                    "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost")
                    .redirectErrorStream(true).start();
            openssl.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (openssl.waitFor() != 0) {
                throw new IllegalStateException("openssl failed to make a test certificate");
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot generate a test certificate with openssl", e);
        }
    }

    private static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001);
    }

    private static ManagedChannel tlsChannel() throws IOException {
        File trusted = DIR.resolve("server.crt").toFile();
        return NettyChannelBuilder.forAddress("localhost", port())
                .sslContext(GrpcSslContexts.forClient().trustManager(trusted).build()).build();
    }

    private static InspectorGrpc.InspectorBlockingStub withToken(ManagedChannel channel, String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return InspectorGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Test
    void tokensAreCheckedOverTls() throws Exception {
        ManagedChannel channel = tlsChannel();
        try {
            HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (health.check(HealthCheckRequest.getDefaultInstance()).getStatus() != ServingStatus.SERVING) {
                assertTrue(System.nanoTime() < until, "service became SERVING (health needs no token)");
                Thread.sleep(100);
            }
            assertEquals("demo", withToken(channel, TOKEN).listModels(ListModelsRequest.getDefaultInstance()).getDefaultModel());
            assertEquals("demo", withToken(channel, "another-token").listModels(ListModelsRequest.getDefaultInstance()).getDefaultModel());

            StatusRuntimeException none = assertThrows(StatusRuntimeException.class, () -> InspectorGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, none.getStatus().getCode());
            assertTrue(none.getStatus().getDescription().contains("missing bearer token"));
            StatusRuntimeException wrong = assertThrows(StatusRuntimeException.class,
                    () -> withToken(channel, TOKEN + "x").listModels(ListModelsRequest.getDefaultInstance()));
            assertEquals(Status.Code.UNAUTHENTICATED, wrong.getStatus().getCode());

            // HTTP health and metrics stay open for probes and Prometheus.
            given().get("/q/health/ready").then().statusCode(200);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void plaintextIsRefused() throws Exception {
        ManagedChannel plain = NettyChannelBuilder.forAddress("localhost", port()).usePlaintext().build();
        try {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> withToken(plain, TOKEN)
                    .withDeadlineAfter(5, TimeUnit.SECONDS).listModels(ListModelsRequest.getDefaultInstance()));
            assertTrue(e.getStatus().getCode() == Status.Code.UNAVAILABLE || e.getStatus().getCode() == Status.Code.INTERNAL
                    || e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED, e.getStatus().toString());
        } finally {
            plain.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}

package ai.dad.service;

import ai.dad.proto.v1.InspectorGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;

/** A plain grpc-java channel to the service under test (the test gRPC port). */
final class GrpcTestClient implements AutoCloseable {
    final ManagedChannel channel;

    GrpcTestClient() {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().maxInboundMessageSize(64 << 20).build();
    }

    InspectorGrpc.InspectorBlockingStub blocking() {
        return InspectorGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    InspectorGrpc.InspectorStub async() {
        return InspectorGrpc.newStub(channel);
    }

    HealthCheckResponse.ServingStatus health(String service) {
        return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }

    /** Waits (up to two minutes) until the models are loaded and the service says SERVING. */
    void awaitServing() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (health("") != HealthCheckResponse.ServingStatus.SERVING) {
            if (System.nanoTime() > until) {
                throw new AssertionError("service did not become SERVING");
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}

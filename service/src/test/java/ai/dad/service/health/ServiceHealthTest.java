package ai.dad.service.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import org.junit.jupiter.api.Test;

/** gRPC health follows the service's life: NOT_SERVING until the models are warm, and again while draining. */
class ServiceHealthTest {

    @Test
    void grpcHealthFollowsTheLifecycle() throws Exception {
        ServiceHealth health = new ServiceHealth();
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name).addService(health.grpcService()).build().start();
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        try {
            HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
            assertEquals(ServingStatus.NOT_SERVING, status(stub, ""), "before the models are loaded");
            assertEquals(ServingStatus.NOT_SERVING, status(stub, "dad.v1.Inspector"));
            health.set(ServiceHealth.State.SERVING, "warm");
            assertEquals(ServingStatus.SERVING, status(stub, ""));
            assertEquals(ServingStatus.SERVING, status(stub, "dad.v1.Inspector"));
            health.set(ServiceHealth.State.DRAINING, "shutting down");
            assertEquals(ServingStatus.NOT_SERVING, status(stub, ""));
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }

    private static ServingStatus status(HealthGrpc.HealthBlockingStub stub, String service) {
        return stub.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
    }
}

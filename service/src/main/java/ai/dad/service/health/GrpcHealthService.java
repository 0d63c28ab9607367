package ai.dad.service.health;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.quarkus.grpc.GrpcService;
import jakarta.inject.Inject;

/**
 * Serves grpc.health.v1.Health from {@link ServiceHealth}. Quarkus' own health service is
 * turned off (quarkus.grpc.server.grpc-health.enabled=false): it reports SERVING as soon as
 * the server starts, before any model is loaded.
 */
@GrpcService
public class GrpcHealthService implements BindableService {
    @Inject
    ServiceHealth health;

    @Override
    public ServerServiceDefinition bindService() {
        return health.grpcService().bindService();
    }
}

package ai.dad.service.health;

import ai.dad.proto.v1.InspectorGrpc;
import io.grpc.BindableService;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import jakarta.inject.Singleton;

/**
 * The one place that knows whether the service can take frames. It drives the gRPC health
 * service (overall, {@code ""}, and per service, {@code dad.v1.Inspector}) and the HTTP checks
 * under {@code /q/health}, so that all of them always agree.
 */
@Singleton
public class ServiceHealth {
    /**
     * The service's life: models loading at start; serving (the default model serves); waiting
     * for the default model to appear in the models folder (or to finish loading there); failed
     * (the default model or the models folder cannot be loaded); draining for shutdown.
     */
    public enum State { STARTING, SERVING, WAITING, FAILED, DRAINING }

    private final HealthStatusManager grpc = new HealthStatusManager();
    private volatile State state;
    private volatile String detail = "";

    public ServiceHealth() {
        set(State.STARTING, "loading models");
    }

    public State state() {
        return state;
    }

    public String detail() {
        return detail;
    }

    public boolean serving() {
        return state == State.SERVING;
    }

    public synchronized void set(State next, String why) {
        state = next;
        detail = why;
        ServingStatus status = next == State.SERVING ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        grpc.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        grpc.setStatus(InspectorGrpc.SERVICE_NAME, status);
    }

    /** The grpc.health.v1.Health implementation, registered by {@link GrpcHealthService}. */
    BindableService grpcService() {
        return grpc.getHealthService();
    }
}

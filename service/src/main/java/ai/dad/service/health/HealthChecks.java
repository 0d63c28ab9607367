package ai.dad.service.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * {@code /q/health/ready} is up exactly when gRPC health says SERVING (the default model loaded
 * and warm, not draining). {@code /q/health/live} stays up while the service is busy, waiting
 * for a model or draining, and goes down only if the models failed to load, so a restart is
 * worth trying.
 */
@ApplicationScoped
public class HealthChecks {

    @Produces
    @Readiness
    HealthCheck ready(ServiceHealth health) {
        return () -> response("models", health, health.serving());
    }

    @Produces
    @Liveness
    HealthCheck live(ServiceHealth health) {
        return () -> response("inspection", health, health.state() != ServiceHealth.State.FAILED);
    }

    private static HealthCheckResponse response(String name, ServiceHealth health, boolean up) {
        return HealthCheckResponse.named(name)
                .status(up)
                .withData("state", health.state().name())
                .withData("detail", health.detail())
                .build();
    }
}

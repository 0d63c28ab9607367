package ai.dad.client;

import ai.dad.client.net.Connection;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dad-client health}: the standard gRPC health check; exit 0 only when SERVING. */
@Command(name = "health", description = "Check the service's health (grpc.health.v1).",
        footer = {"", "Prints SERVING, NOT_SERVING, SERVICE_UNKNOWN or, when the call fails, its "
                + "status code (e.g. UNAVAILABLE).",
            "Exit codes: 0 SERVING, 1 answered but not serving, 2 the call failed."})
public final class HealthCommand implements Callable<Integer> {

    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

    @ParentCommand
    DadClient client;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Option(names = "--service", paramLabel = "NAME", defaultValue = "",
            description = "Service to check, e.g. dad.v1.Inspector (default: the whole server).")
    String service;

    @Override
    public Integer call() throws java.io.IOException, InterruptedException {
        try (Connection conn = target.open(client, spec.commandLine().getErr())) {
            long deadline = target.deadline(DEFAULT_DEADLINE).toMillis();
            HealthCheckResponse resp = conn.call(() -> HealthGrpc.newBlockingStub(conn.channel())
                    .withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()));
            HealthCheckResponse.ServingStatus status = resp.getStatus();
            spec.commandLine().getOut().println(status == HealthCheckResponse.ServingStatus.UNRECOGNIZED
                    ? "UNKNOWN" : status.name());
            return status == HealthCheckResponse.ServingStatus.SERVING ? 0 : 1;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                // The health service answers NOT_FOUND for a service name it does not know.
                spec.commandLine().getOut().println("SERVICE_UNKNOWN");
                return 1;
            }
            spec.commandLine().getOut().println(e.getStatus().getCode().name());
            spec.commandLine().getErr().println("dad-client: " + DadClient.describe(e));
            return DadClient.EXIT_ERROR;
        }
    }
}

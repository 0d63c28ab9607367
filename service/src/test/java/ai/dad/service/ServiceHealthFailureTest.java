package ai.dad.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without a usable model the service never claims to serve: gRPC health, readiness and Inspect agree. */
@QuarkusTest
@TestProfile(ServiceHealthFailureTest.NoModels.class)
class ServiceHealthFailureTest {

    public static class NoModels implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dad.models.dir", "target/no-such-models");
        }
    }

    @Test
    void notServingAnywhere() throws Exception {
        try (GrpcTestClient client = new GrpcTestClient()) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!given().get("/q/health/live").asString().contains("FAILED") && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertEquals(ServingStatus.NOT_SERVING, client.health(""));
            assertEquals(ServingStatus.NOT_SERVING, client.health("dad.v1.Inspector"));
            given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
            given().get("/q/health/live").then().statusCode(503).body(containsString("no-such-models"));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> client.blocking().inspect(Frames.request("f", Frames.png(1, 16))));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("no-such-models"), e.getStatus().getDescription());
        }
    }
}

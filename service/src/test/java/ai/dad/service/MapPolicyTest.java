package ai.dad.service;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.MapPolicy;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.RawMap;
import ai.dad.proto.v1.Verdict;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Options.map_policy and return_raw_map on the real service with the demo model; score histograms. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MapPolicyTest {
    // The threshold override decides the verdict, so the policy is tested on both decisions.
    private static final double ALWAYS_NG = 1e-9;
    private static final double ALWAYS_OK = 1.5;

    private GrpcTestClient client;
    private final byte[] png = Frames.png(3, 80);

    @BeforeAll
    void connect() throws InterruptedException {
        client = new GrpcTestClient();
        client.awaitServing();
    }

    @AfterAll
    void disconnect() throws InterruptedException {
        client.close();
    }

    @Test
    void ngOnlySendsTheMapWithNgVerdictsAlone() {
        Options.Builder ngOnly = Options.newBuilder().setMapPolicy(MapPolicy.MAP_NG_ONLY).setReturnMap(true).setReturnMask(true);
        Verdict ng = inspect(ngOnly.setThresholdOverride(ALWAYS_NG));
        assertEquals(Decision.NG, ng.getDecision());
        assertFalse(ng.getMapPng().isEmpty());
        assertFalse(ng.getMaskPng().isEmpty());
        Verdict ok = inspect(ngOnly.setThresholdOverride(ALWAYS_OK));
        assertEquals(Decision.OK, ok.getDecision());
        assertTrue(ok.getMapPng().isEmpty() && ok.getMaskPng().isEmpty(), "no map for an OK frame");
    }

    @Test
    void aPolicyWithoutNamedOutputsMeansTheMapPng() {
        Verdict v = inspect(Options.newBuilder().setMapPolicy(MapPolicy.MAP_ALWAYS).setThresholdOverride(ALWAYS_OK));
        assertFalse(v.getMapPng().isEmpty());
        assertTrue(v.getMaskPng().isEmpty());
    }

    @Test
    void neverWinsOverTheReturnFields() {
        Verdict v = inspect(Options.newBuilder().setMapPolicy(MapPolicy.MAP_NEVER).setReturnMap(true).setReturnRegions(true)
                .setThresholdOverride(ALWAYS_NG));
        assertTrue(v.getMapPng().isEmpty() && v.getRegionsCount() == 0);
    }

    @Test
    void unsetPolicyKeepsTheOldBehaviour() {
        Verdict v = inspect(Options.newBuilder().setReturnMap(true).setThresholdOverride(ALWAYS_OK));
        assertFalse(v.getMapPng().isEmpty(), "return_map alone still returns the map on every frame");
    }

    @Test
    void theRawMapIsTheModelsFloatMapWithTheFrameItCovers() {
        Verdict v = inspect(Options.newBuilder().setReturnRawMap(true));
        RawMap raw = v.getRawMap();
        assertEquals(64, raw.getWidth(), "the demo model's resolution");
        assertEquals(64, raw.getHeight());
        assertEquals(80, raw.getFrameWidth());
        assertEquals(80, raw.getFrameHeight());
        assertTrue(v.getMapPng().isEmpty(), "the raw map alone was asked for");
        FloatBuffer values = raw.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        assertEquals(64 * 64, values.remaining());
        float max = 0;
        while (values.hasRemaining()) {
            float value = values.get();
            assertTrue(value >= 0 && value <= 1, "map value " + value);
            max = Math.max(max, value);
        }
        assertTrue(max > 0);
    }

    @Test
    void anUnknownPolicyIsAClearInvalidArgument() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> inspect(Options.newBuilder().setMapPolicyValue(42)));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("map_policy 42"), e.getStatus().getDescription());
    }

    @Test
    void scoreHistogramsArePublishedPerModelAndVersion() {
        inspect(Options.newBuilder());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("dad_score_bucket{"), "raw score histogram");
        assertTrue(metrics.contains("dad_score_normalized_bucket{"), "normalised score histogram");
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("dad_verdicts_total{") && l.contains("version=")),
                "verdicts by version");
    }

    private Verdict inspect(Options.Builder options) {
        return client.blocking().inspect(Frames.withOptions(Frames.request("policy", png), options.build()));
    }
}

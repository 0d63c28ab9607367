package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The soak scenario ({@link SoakRun}) at a small size against the test service (default
 * settings): 4 concurrent streams of 100 frames, about a tenth of them random bytes, the last
 * stream cancelled by the client after 40 verdicts. {@code scripts/soak.sh} runs the same
 * scenario at full size against the packaged service and samples its memory.
 *
 * <p>Sizes can be changed with {@code -Dsoak.streams=} and {@code -Dsoak.frames=}.
 */
@QuarkusTest
class SoakTest {

    @Test
    void everyFrameAnsweredOnceAndTheServiceStillServes() throws Exception {
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001);
        SoakRun.Config small = SoakRun.Config.small(port);
        int streams = Integer.getInteger("soak.streams", small.streams());
        int frames = Integer.getInteger("soak.frames", small.frames());
        SoakRun.Config config = new SoakRun.Config(small.host(), port, streams, frames, small.badFraction(),
                streams - 1, Math.min(small.cancelAfter(), frames / 2), small.inFlight(), small.seed(), -1, 5, small.maxMinutes());
        try (GrpcTestClient client = new GrpcTestClient()) {
            client.awaitServing();
            SoakRun.Result result = new SoakRun(config).run();
            System.out.println("soak (small): " + result.json());

            assertTrue(result.problems().isEmpty(), () -> result.problems().size() + " problems, first: "
                    + result.problems().subList(0, Math.min(10, result.problems().size())));
            for (SoakRun.StreamResult s : result.streams()) {
                if (s.index() == config.cancelStream()) {
                    assertTrue(s.cancelled(), "the last stream was cancelled midway");
                    assertEquals(config.cancelAfter(), s.answered(), "no verdict reaches a client after it cancelled");
                    continue;
                }
                assertFalse(s.cancelled());
                assertEquals(frames, s.sentGood() + s.sentBad());
                assertTrue(s.sentBad() > 0, "bad frames mixed in");
                assertEquals(s.sentGood(), s.answeredOk(), "every good frame answered with a verdict");
                assertEquals(s.sentBad(), s.answeredBadAsInvalid(), "every bad frame answered with an INVALID_ARGUMENT verdict");
            }
            assertEquals(ServingStatus.SERVING, client.health(""));
            assertEquals("after-soak", client.blocking().inspect(Frames.request("after-soak", Frames.png(3, 64))).getFrameId());
        }
    }
}

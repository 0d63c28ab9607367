package ai.dad.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.GetModelRequest;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.ListModelsRequest;
import ai.dad.proto.v1.ListModelsResponse;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.RawImage;
import ai.dad.proto.v1.Verdict;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The real service with the real DJL backend and the built-in demo model, over real gRPC. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InspectorServiceTest {
    private GrpcTestClient client;

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
    void healthAgreesEverywhereOnceTheModelIsWarm() {
        assertEquals(ServingStatus.SERVING, client.health(""));
        assertEquals(ServingStatus.SERVING, client.health("dad.v1.Inspector"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void unaryInspectReturnsAFullVerdict() throws Exception {
        byte[] png = Frames.png(2, 100);
        Verdict v = client.blocking().inspect(Frames.withOptions(
                Frames.request("frame-1", png).toBuilder().setPartId("P-7").setJobId("J-1").build(),
                Options.newBuilder().setReturnMap(true).setReturnMask(true).setReturnRegions(true).build()));
        assertEquals("frame-1", v.getFrameId());
        assertEquals("demo", v.getModel());
        assertEquals("P-7", v.getPartId());
        assertEquals("J-1", v.getJobId());
        assertTrue(v.getScore() >= 0 && v.getScore() <= 1, "score " + v.getScore());
        assertTrue(v.getDecision() == Decision.OK || v.getDecision() == Decision.NG || v.getDecision() == Decision.UNCALIBRATED);
        var map = ImageIO.read(new ByteArrayInputStream(v.getMapPng().toByteArray()));
        assertEquals(100, map.getWidth(), "map at the original size");
        assertEquals(100, ImageIO.read(new ByteArrayInputStream(v.getMaskPng().toByteArray())).getHeight());
        assertTrue(v.getTimings().getInferenceUs() > 0 && v.getTimings().getBatchSize() >= 1);
        assertFalse(v.hasError());
    }

    @Test
    void fullResolutionFramesAboveTheGrpcDefaultSizeAreAccepted() throws Exception {
        java.util.Random random = new java.util.Random(1);
        float[] noise = new float[3 * 900 * 900];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = random.nextFloat();
        }
        byte[] png = ai.dad.imaging.Png.encode(RgbImage.of(900, 900, noise));
        assertTrue(png.length > 2 * 1024 * 1024, "a noisy 900x900 PNG is " + png.length + " bytes");
        Verdict v = client.blocking().inspect(Frames.withOptions(Frames.request("big", png),
                Options.newBuilder().setReturnRegions(true).setMaskLevel(0.01).build()));
        assertEquals("big", v.getFrameId());
        for (var region : v.getRegionsList()) {
            assertTrue(region.getX() + region.getWidth() <= 900 && region.getArea() > 0, region.toString());
        }
    }

    @Test
    void thresholdOverrideDecides() {
        byte[] png = Frames.png(4, 64);
        Verdict low = client.blocking().inspect(Frames.withOptions(Frames.request("a", png),
                Options.newBuilder().setThresholdOverride(1e-9).build()));
        assertEquals(Decision.NG, low.getDecision());
        assertEquals(1e-9, low.getThreshold(), 0);
        Verdict high = client.blocking().inspect(Frames.withOptions(Frames.request("b", png),
                Options.newBuilder().setThresholdOverride(1.5).build()));
        assertEquals(Decision.OK, high.getDecision());
    }

    @Test
    void sameBytesGiveTheSameScore() {
        byte[] png = Frames.png(6, 80);
        double first = client.blocking().inspect(Frames.request("x", png)).getScore();
        for (int i = 0; i < 3; i++) {
            assertEquals(first, client.blocking().inspect(Frames.request("x" + i, png)).getScore(), 0.0);
        }
    }

    @Test
    void rawPixelsAreAccepted() {
        RgbImage image = ai.dad.imaging.TestImages.gradient(32);
        byte[] rgb = new byte[32 * 32 * 3];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * 32 + x) * 3 + c] = (byte) RgbImage.to8(image.get(c, y, x));
                }
            }
        }
        InspectRequest raw = InspectRequest.newBuilder().setFrameId("raw")
                .setRaw(RawImage.newBuilder().setWidth(32).setHeight(32).setChannels(3).setData(ByteString.copyFrom(rgb))).build();
        assertEquals("raw", client.blocking().inspect(raw).getFrameId());
    }

    @Test
    void streamAnswersEveryFrameOnceInOrder() throws Exception {
        int frames = 200;
        List<Verdict> verdicts = stream(frames, i -> Frames.request("f" + i, Frames.png(i, 48)));
        assertEquals(frames, verdicts.size());
        for (int i = 0; i < frames; i++) {
            assertEquals("f" + i, verdicts.get(i).getFrameId(), "verdict " + i + " in request order");
            assertFalse(verdicts.get(i).hasError());
        }
    }

    @Test
    void badFrameInAStreamGetsAnErrorVerdictAndTheStreamGoesOn() throws Exception {
        List<Verdict> verdicts = stream(5, i -> i == 2
                ? Frames.request("bad", new byte[] {1, 2, 3, 4})
                : Frames.request("ok" + i, Frames.png(i, 40)));
        assertEquals(5, verdicts.size());
        assertEquals("bad", verdicts.get(2).getFrameId());
        assertEquals("INVALID_ARGUMENT", verdicts.get(2).getError().getCode());
        assertFalse(verdicts.get(3).hasError());
        assertEquals("ok4", verdicts.get(4).getFrameId());
    }

    @Test
    void concurrentStreamsShareBatches() throws Exception {
        int streams = 4;
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int s = 0; s < streams; s++) {
            int stream = s;
            Thread t = new Thread(() -> {
                try {
                    assertEquals(40, stream(40, i -> Frames.request(stream + "-" + i, Frames.png(i, 64))).size());
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double count = metric(metrics, "dad_batch_size_count{model=\"demo\"}");
        double sum = metric(metrics, "dad_batch_size_sum{model=\"demo\"}");
        assertTrue(sum / count > 1.0, "mean batch size above 1: " + sum + "/" + count);
    }

    @Test
    void metricsArePublished() {
        client.blocking().inspect(Frames.request("m", Frames.png(1, 32)));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("dad_frames_total"))
                .body(containsString("dad_verdicts_total"))
                .body(containsString("dad_batch_size_bucket"))
                .body(containsString("dad_queue_seconds_bucket"))
                .body(containsString("dad_inference_seconds_bucket"))
                .body(containsString("dad_model_load_seconds"));
    }

    @Test
    void modelsAreListed() {
        ListModelsResponse models = client.blocking().listModels(ListModelsRequest.getDefaultInstance());
        assertEquals("demo", models.getDefaultModel());
        assertEquals(64, models.getModels(0).getImageSize());
        assertEquals("demo", client.blocking().getModel(GetModelRequest.newBuilder().setModel("demo").build()).getId());
    }

    @Test
    void badRequestsGetClearStatuses() {
        assertStatus(Status.Code.INVALID_ARGUMENT, "image is empty", Frames.request("e", new byte[0]));
        assertStatus(Status.Code.INVALID_ARGUMENT, "not a PNG, JPEG or BMP", Frames.request("r", new byte[] {9, 9, 9, 9, 9, 9}));
        byte[] png = Frames.png(3, 64);
        assertStatus(Status.Code.INVALID_ARGUMENT, "cannot decode PNG",
                Frames.request("t", java.util.Arrays.copyOf(png, png.length / 2)));
        assertStatus(Status.Code.NOT_FOUND, "unknown model 'nope'", Frames.request("m", png).toBuilder().setModel("nope").build());
        assertStatus(Status.Code.INVALID_ARGUMENT, "raw image data has 5 bytes", InspectRequest.newBuilder()
                .setRaw(RawImage.newBuilder().setWidth(2).setHeight(2).setChannels(3).setData(ByteString.copyFrom(new byte[5]))).build());
        assertStatus(Status.Code.INVALID_ARGUMENT, "threshold_override", Frames.withOptions(Frames.request("o", png),
                Options.newBuilder().setThresholdOverride(Double.NaN).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "threshold_override", Frames.withOptions(Frames.request("o", png),
                Options.newBuilder().setThresholdOverride(-1).build()));
        assertStatus(Status.Code.INVALID_ARGUMENT, "frame_id is 10000 bytes", Frames.request("x".repeat(10_000), png));
        assertStatus(Status.Code.INVALID_ARGUMENT, "no frame", InspectRequest.newBuilder().setFrameId("none").build());
        // The service is still serving after all of that.
        assertEquals(ServingStatus.SERVING, client.health(""));
        assertEquals("fine", client.blocking().inspect(Frames.request("fine", png)).getFrameId());
    }

    private void assertStatus(Status.Code code, String messagePart, InspectRequest request) {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                () -> client.blocking().inspect(request));
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
        assertTrue(String.valueOf(e.getStatus().getDescription()).contains(messagePart), e.getStatus().toString());
    }

    private List<Verdict> stream(int frames, java.util.function.IntFunction<InspectRequest> request) throws InterruptedException {
        List<Verdict> verdicts = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        StreamObserver<InspectRequest> requests = client.async().withDeadlineAfter(120, TimeUnit.SECONDS)
                .inspectStream(new StreamObserver<>() {
                    @Override
                    public void onNext(Verdict v) {
                        verdicts.add(v);
                    }

                    @Override
                    public void onError(Throwable t) {
                        failure[0] = t;
                        done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                        done.countDown();
                    }
                });
        for (int i = 0; i < frames; i++) {
            requests.onNext(request.apply(i));
        }
        requests.onCompleted();
        assertTrue(done.await(120, TimeUnit.SECONDS), "stream finished");
        if (failure[0] != null) {
            throw new AssertionError("stream failed", failure[0]);
        }
        return verdicts;
    }

    private static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no metric " + name));
    }
}

package ai.dad.client.testing;

import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.Error;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.MapPolicy;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.ListModelsRequest;
import ai.dad.proto.v1.ListModelsResponse;
import ai.dad.proto.v1.ModelInfo;
import ai.dad.proto.v1.Timings;
import ai.dad.proto.v1.Verdict;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.imageio.ImageIO;

/**
 * A test double of the remote service only (not the real one): score = mean brightness, NG at
 * 0.5 and above, a tiny 4x4 PNG map and mask when asked, an error verdict (stream) or
 * INVALID_ARGUMENT (unary) for bytes that are not an image. Stream verdicts are sent from one
 * background thread after a short pause each, in request order, so that requests pile up and
 * the client's window is really exercised; the double records the most requests it ever held
 * unanswered and every request it got.
 */
public final class FakeInspector extends InspectorGrpc.InspectorImplBase {

    /** What the double saw of one stream request. */
    public record Seen(String frameId, boolean returnMap, boolean returnMask,
                       double thresholdOverride, MapPolicy mapPolicy) {}

    public static final double THRESHOLD = 0.5;

    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicInteger maxOutstanding = new AtomicInteger();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile long delayMicros = 2000;
    private volatile int failAfter = -1;
    private volatile boolean hang;
    private volatile boolean neverClose;
    private final AtomicInteger unaryFailures = new AtomicInteger();
    private final AtomicInteger streamFailures = new AtomicInteger();
    private final AtomicInteger streamCalls = new AtomicInteger();

    /** Fails the next {@code n} unary calls with UNAVAILABLE. */
    public FakeInspector failUnary(int n) {
        unaryFailures.set(n);
        return this;
    }

    /** Fails the next {@code n} stream calls with UNAVAILABLE at once, before any verdict. */
    public FakeInspector failStreams(int n) {
        streamFailures.set(n);
        return this;
    }

    /** Stream calls opened so far. */
    public int streamCalls() {
        return streamCalls.get();
    }

    /** Pause before each stream verdict. */
    public FakeInspector delayMicros(long micros) {
        this.delayMicros = micros;
        return this;
    }

    /** Fails the stream with UNAVAILABLE once this many verdicts were sent. */
    public FakeInspector failAfter(int verdicts) {
        this.failAfter = verdicts;
        return this;
    }

    /** Never answers stream requests (to test the client's drain timeout). */
    public FakeInspector hang() {
        this.hang = true;
        return this;
    }

    /** Answers every frame but never ends the stream after the client half-closes. */
    public FakeInspector neverClose() {
        this.neverClose = true;
        return this;
    }

    public int maxOutstanding() {
        return maxOutstanding.get();
    }

    public List<Seen> seen() {
        return seen;
    }

    @Override
    public void inspect(InspectRequest req, StreamObserver<Verdict> out) {
        if (unaryFailures.getAndDecrement() > 0) {
            out.onError(Status.UNAVAILABLE.withDescription("double is down").asRuntimeException());
            return;
        }
        Verdict v = judge(req);
        if (v.hasError()) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(v.getError().getMessage())
                    .asRuntimeException());
        } else {
            out.onNext(v);
            out.onCompleted();
        }
    }

    @Override
    public StreamObserver<InspectRequest> inspectStream(StreamObserver<Verdict> out) {
        streamCalls.incrementAndGet();
        if (streamFailures.getAndDecrement() > 0) {
            out.onError(Status.UNAVAILABLE.withDescription("double is down").asRuntimeException());
            return new StreamObserver<>() {
                @Override
                public void onNext(InspectRequest value) { }

                @Override
                public void onError(Throwable t) { }

                @Override
                public void onCompleted() { }
            };
        }
        ExecutorService answerer = Executors.newSingleThreadExecutor();
        AtomicInteger sent = new AtomicInteger();
        return new StreamObserver<>() {
            @Override
            public void onNext(InspectRequest req) {
                seen.add(new Seen(req.getFrameId(), req.getOptions().getReturnMap(),
                        req.getOptions().getReturnMask(), req.getOptions().getThresholdOverride(),
                        req.getOptions().getMapPolicy()));
                int now = outstanding.incrementAndGet();
                maxOutstanding.accumulateAndGet(now, Math::max);
                if (hang) {
                    return;
                }
                answerer.execute(() -> {
                    if (failAfter >= 0 && sent.get() >= failAfter) {
                        return;
                    }
                    pause();
                    Verdict v = judge(req);
                    outstanding.decrementAndGet();
                    out.onNext(v);
                    if (sent.incrementAndGet() == failAfter) {
                        out.onError(Status.UNAVAILABLE.withDescription("double went away")
                                .asRuntimeException());
                    }
                });
            }

            @Override
            public void onError(Throwable t) {
                answerer.shutdownNow();
            }

            @Override
            public void onCompleted() {
                answerer.execute(() -> {
                    if (!neverClose && (failAfter < 0 || sent.get() < failAfter)) {
                        out.onCompleted();
                    }
                });
                answerer.shutdown();
            }
        };
    }

    @Override
    public void listModels(ListModelsRequest req, StreamObserver<ListModelsResponse> out) {
        if (unaryFailures.getAndDecrement() > 0) {
            out.onError(Status.UNAVAILABLE.withDescription("double is down").asRuntimeException());
            return;
        }
        out.onNext(ListModelsResponse.newBuilder()
                .addModels(ModelInfo.newBuilder().setId("bottle").setVersion("2026-11-28")
                        .setPreset("small").setImageSize(128).setMode("norm-guided")
                        .setThreshold(0.42).setIsDefault(true))
                .addModels(ModelInfo.newBuilder().setId("screw").setVersion("1")
                        .setPreset("tiny").setImageSize(64).setMode("one-step"))
                .setDefaultModel("bottle")
                .build());
        out.onCompleted();
    }

    /** The double's judgement of one request. */
    public static Verdict judge(InspectRequest req) {
        Verdict.Builder v = Verdict.newBuilder().setFrameId(req.getFrameId())
                .setModel(req.getModel().isEmpty() ? "fake" : req.getModel())
                .setModelVersion("test").setPartId(req.getPartId()).setJobId(req.getJobId());
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(req.getImage().toByteArray()));
        } catch (IOException | RuntimeException e) {
            img = null;
        }
        if (img == null) {
            return v.setError(Error.newBuilder().setCode("INVALID_ARGUMENT")
                    .setMessage("cannot decode the frame")).build();
        }
        double score = brightness(img);
        double threshold = req.getOptions().getThresholdOverride() > 0
                ? req.getOptions().getThresholdOverride() : THRESHOLD;
        Decision decision = req.getModel().equals("uncal") ? Decision.UNCALIBRATED
                : score >= threshold ? Decision.NG : Decision.OK;
        v.setScore(score).setNormalizedScore((score - 0.3) / 0.2).setThreshold(threshold)
                .setDecision(decision)
                .setTimings(Timings.newBuilder().setBatchSize(1).setInferenceUs(100));
        // The map policy as the service applies it (VerdictBuilder).
        Options o = req.getOptions();
        boolean named = o.getReturnMap() || o.getReturnMask();
        boolean maps = switch (o.getMapPolicy()) {
            case MAP_NEVER -> false;
            case MAP_ALWAYS -> true;
            case MAP_NG_ONLY -> decision == Decision.NG;
            default -> named;
        };
        if (maps && (o.getReturnMap() || !named)) {
            v.setMapPng(grey(4, 4, (int) Math.round(score * 255)));
        }
        if (maps && o.getReturnMask()) {
            v.setMaskPng(grey(4, 4, score >= THRESHOLD ? 255 : 0));
        }
        return v.build();
    }

    /** Mean of R, G and B over the image, in [0, 1]. */
    public static double brightness(BufferedImage img) {
        double sum = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                sum += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
            }
        }
        return sum / (3.0 * 255 * img.getWidth() * img.getHeight());
    }

    /** A w x h grey PNG of one level. */
    public static ByteString grey(int w, int h, int level) {
        BufferedImage g = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                g.getRaster().setSample(x, y, 0, level);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(g, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(bytes.toByteArray());
    }

    private void pause() {
        LockSupport.parkNanos(delayMicros * 1000);
    }
}

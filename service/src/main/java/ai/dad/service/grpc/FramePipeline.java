package ai.dad.service.grpc;

import ai.dad.imaging.FrameLayout;
import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.MapPolicy;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.Verdict;
import ai.dad.service.InspectionMetrics;
import ai.dad.service.ServiceConfig;
import ai.dad.service.batch.BatchResult;
import ai.dad.service.batch.QueueFullException;
import ai.dad.service.frame.FrameDecoder;
import ai.dad.service.frame.InvalidFrameException;
import ai.dad.service.model.LoadedModel;
import ai.dad.service.model.ModelRegistry;
import ai.dad.service.page.LiveView;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * The path of one frame: validate the request, decode it and cut it into the model's inputs on a
 * worker thread (never on gRPC's event loop or the model's thread; one input, or the tiles the
 * model's layout asks for), queue the inputs for the model's batcher, and build the verdict once
 * all are back. Shared by the unary and the streaming calls.
 */
@ApplicationScoped
public class FramePipeline {
    private static final Logger LOG = Logger.getLogger(FramePipeline.class);

    @Inject
    ServiceConfig config;

    @Inject
    ModelRegistry registry;

    @Inject
    InspectionMetrics metrics;

    @Inject
    LiveView live;

    private FrameDecoder decoder;
    private ExecutorService workers;

    @PostConstruct
    void init() {
        decoder = new FrameDecoder(config.frames().maxPixels());
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        // Bounded: beyond it frames are refused (RESOURCE_EXHAUSTED) rather than buffered.
        workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(config.batch().queueCapacity() * 4), r -> {
                    Thread t = new Thread(r, "dad-frames");
                    t.setDaemon(true);
                    return t;
                });
    }

    void stop(@Observes ShutdownEvent event) {
        workers.shutdown();
    }

    /**
     * Inspects one request.
     *
     * @param deadlineNanos {@link System#nanoTime()} after which the frame is not computed
     * @param abandoned true once the caller has gone (cancelled): the frame is then not computed
     */
    public CompletableFuture<Verdict> inspect(InspectRequest request, long deadlineNanos, BooleanSupplier abandoned) {
        long received = System.nanoTime();
        LoadedModel model;
        try {
            validate(request);
            model = registry.acquire(request.getModel());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
        // The frame holds this version of the model until its verdict is built, so a newer
        // version swapped in meanwhile cannot close it under the frame.
        try {
            metrics.frame(model.id());
            return CompletableFuture.supplyAsync(() -> decode(request, model), workers)
                    .thenCompose(frame -> submit(model, frame, deadlineNanos, abandoned)
                            .thenApplyAsync(outcome -> {
                                Verdict verdict = VerdictBuilder.build(request, model, frame.width(), frame.height(),
                                        outcome, frame.decodeMicros());
                                observe("the operator page", () -> live.verdict(verdict, frame.view(), outcome.grid(),
                                        frame.width(), frame.height(), System.nanoTime() - received));
                                return verdict;
                            }, workers))
                    .whenComplete((verdict, error) -> {
                        model.release();
                        if (verdict != null) {
                            observe("the metrics", () -> metrics.verdict(verdict));
                        } else {
                            observe("the operator page", () -> live.failed(model.id()));
                        }
                    });
        } catch (RuntimeException e) {
            // The workers refused the frame (RejectedExecutionException): nothing else will release it.
            model.release();
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Metrics and the operator page never cost a caller its verdict. */
    private static void observe(String what, Runnable record) {
        try {
            record.run();
        } catch (RuntimeException e) {
            LOG.warn("cannot record the frame in " + what, e);
        }
    }

    private void validate(InspectRequest request) throws InvalidFrameException {
        int idBytes = request.getFrameId().getBytes(StandardCharsets.UTF_8).length;
        if (idBytes > config.frames().maxFrameIdBytes()) {
            throw new InvalidFrameException("frame_id is " + idBytes + " bytes; at most "
                    + config.frames().maxFrameIdBytes() + " are allowed");
        }
        if (request.getFrameCase() == InspectRequest.FrameCase.FRAME_NOT_SET) {
            throw new InvalidFrameException("request has no frame: set image or raw");
        }
        Options o = request.getOptions();
        if (!Double.isFinite(o.getThresholdOverride()) || o.getThresholdOverride() < 0) {
            throw new InvalidFrameException("threshold_override must be a finite number >= 0, got " + o.getThresholdOverride());
        }
        if (!Double.isFinite(o.getMaskLevel()) || o.getMaskLevel() < 0 || o.getMaskLevel() > 1) {
            throw new InvalidFrameException("mask_level must lie in [0, 1], got " + o.getMaskLevel());
        }
        if (o.getMapPolicy() == MapPolicy.UNRECOGNIZED) {
            throw new InvalidFrameException("map_policy " + o.getMapPolicyValue()
                    + " is unknown to this service; use MAP_NEVER, MAP_ALWAYS or MAP_NG_ONLY");
        }
    }

    /**
     * The frame cut into the model's inputs, plus what the verdict needs of the original and
     * {@code view}, the region at the map grid's size (what the operator page draws the map on).
     */
    private record Frame(List<RgbImage> inputs, RgbImage view, FrameLayout layout, FrameLayout.Plan plan, int width,
            int height, long decodeMicros) {}

    private Frame decode(InspectRequest request, LoadedModel model) {
        long start = System.nanoTime();
        try {
            RgbImage original = request.getFrameCase() == InspectRequest.FrameCase.RAW
                    ? decoder.decode(request.getRaw())
                    : decoder.decode(request.getImage().toByteArray());
            FrameLayout layout = model.manifest().preprocess.layout(model.imageSize());
            FrameLayout.Cut cut;
            try {
                cut = layout.cut(original);
            } catch (IllegalArgumentException e) {
                throw new InvalidFrameException(e.getMessage());
            }
            // A stretched frame's one input is already the region at the grid's size.
            RgbImage view = layout.fit() == FrameLayout.Fit.STRETCH ? cut.inputs().get(0) : cut.plan().regionView(cut.frame());
            return new Frame(cut.inputs(), view, layout, cut.plan(), original.width(), original.height(),
                    (System.nanoTime() - start) / 1000);
        } catch (InvalidFrameException e) {
            throw new CompletionException(e);
        }
    }

    /** Queues every input of the frame (a frame of 12 tiles fills a batch of 12) and joins their results. */
    private static CompletableFuture<FrameOutcome> submit(LoadedModel model, Frame frame, long deadlineNanos,
            BooleanSupplier abandoned) {
        List<CompletableFuture<BatchResult>> parts = new ArrayList<>(frame.inputs().size());
        try {
            for (RgbImage input : frame.inputs()) {
                parts.add(model.batcher().submit(input, deadlineNanos, abandoned));
            }
        } catch (QueueFullException e) {
            parts.forEach(p -> p.cancel(false)); // the tiles already queued are dropped before they run
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .whenComplete((done, error) -> {
                    if (error != null) {
                        parts.forEach(p -> p.cancel(false));
                    }
                })
                .thenApply(done -> FrameOutcome.of(frame.plan(), frame.layout().fit(),
                        parts.stream().map(CompletableFuture::join).toList(), model.manifest().inference.topK));
    }
}

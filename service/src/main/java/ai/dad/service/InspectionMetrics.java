package ai.dad.service;

import ai.dad.proto.v1.Verdict;
import ai.dad.service.batch.BatchListener;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The service's Prometheus metrics at /q/metrics: frames, verdicts by decision, score histograms
 * (raw and normalised, per model and version), errors by gRPC status, batch sizes, queue and
 * inference latency, model load time and failures, and queue depth.
 */
@ApplicationScoped
public class InspectionMetrics implements BatchListener {
    private static final double[] BATCH_BUCKETS = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64};
    /** Raw scores lie in [0, 1]: twenty buckets of 0.05. */
    private static final double[] SCORE_BUCKETS = buckets(0.05, 1, 0.05);
    /**
     * Normalised scores: fine between typical good parts (0) and the threshold (1), coarse above.
     * Micrometer's buckets must be positive, so scores at or below 0 count in the first one.
     */
    private static final double[] NORMALIZED_BUCKETS = {0.1, 0.25, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5,
        2, 3, 5, 10};

    @Inject
    MeterRegistry registry;

    public void frame(String model) {
        Counter.builder("dad.frames").description("Frames received").tag("model", model).register(registry).increment();
    }

    /**
     * Counts a verdict by model, version and decision, and records its raw and normalised scores:
     * a drifting line (lighting, a new batch of material) moves these histograms before the NG
     * rate climbs (docs/SERVICE.md has the alert).
     */
    public void verdict(Verdict verdict) {
        String model = verdict.getModel();
        String version = verdict.getModelVersion();
        Counter.builder("dad.verdicts").description("Verdicts sent, by decision")
                .tag("model", model).tag("version", version).tag("decision", verdict.getDecision().name())
                .register(registry).increment();
        DistributionSummary.builder("dad.score").description("Raw image scores (top-k mean of the map, 0..1)")
                .serviceLevelObjectives(SCORE_BUCKETS).tag("model", model).tag("version", version)
                .register(registry).record(verdict.getScore());
        DistributionSummary.builder("dad.score.normalized")
                .description("Normalised scores: about 0 for typical good parts, 1 at the calibrated threshold (below 0 counted as 0)")
                .serviceLevelObjectives(NORMALIZED_BUCKETS).tag("model", model).tag("version", version)
                .register(registry).record(Math.max(0, verdict.getNormalizedScore()));
    }

    public void error(Status.Code code) {
        Counter.builder("dad.errors").description("Frames answered with an error, by gRPC status")
                .tag("status", code.name()).register(registry).increment();
    }

    public void modelLoaded(String model, double seconds, Supplier<Number> queueDepth) {
        Gauge.builder("dad.model.load.seconds", () -> seconds).description("Time to load and warm up the model")
                .tag("model", model).register(registry);
        Gauge.builder("dad.queue.depth", queueDepth).description("Frames waiting for a batch")
                .tag("model", model).register(registry);
    }

    /** A model version was let go: its gauges go with it (they hold its batcher); its counters stay. */
    public void modelUnloaded(String model) {
        for (String gauge : new String[] {"dad.model.load.seconds", "dad.queue.depth"}) {
            registry.find(gauge).tag("model", model).meters().forEach(registry::remove);
        }
    }

    public void modelLoadFailed(String model) {
        Counter.builder("dad.model.load.failures")
                .description("Model versions that failed to load (the previous version, if any, serves on)")
                .tag("model", model).register(registry).increment();
    }

    @Override
    public void batchDone(String model, int size, long inferenceMicros) {
        DistributionSummary.builder("dad.batch.size").description("Frames per forward pass")
                .serviceLevelObjectives(BATCH_BUCKETS).tag("model", model).register(registry).record(size);
        timer("dad.inference", "Model time per batch (reconstruct, segment, fuse)", model)
                .record(inferenceMicros, TimeUnit.MICROSECONDS);
    }

    @Override
    public void queued(String model, long queueMicros) {
        timer("dad.queue", "Time a frame waits for its batch", model).record(queueMicros, TimeUnit.MICROSECONDS);
    }

    @Override
    public void batchFailed(String model, int size, Throwable error) {
        Counter.builder("dad.batch.failures").description("Batches the backend failed on")
                .tag("model", model).register(registry).increment();
    }

    private static double[] buckets(double first, double last, double step) {
        int n = (int) Math.round((last - first) / step) + 1;
        double[] bounds = new double[n];
        for (int i = 0; i < n; i++) {
            bounds[i] = Math.round((first + i * step) * 1e6) / 1e6;
        }
        return bounds;
    }

    private Timer timer(String name, String description, String model) {
        return Timer.builder(name).description(description).tag("model", model)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }
}

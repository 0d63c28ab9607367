package ai.dad.service;

import ai.dad.proto.v1.Decision;
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
 * The service's Prometheus metrics at /q/metrics: frames, verdicts by decision, errors by gRPC
 * status, batch sizes, queue and inference latency, model load time and failures, and queue depth.
 */
@ApplicationScoped
public class InspectionMetrics implements BatchListener {
    private static final double[] BATCH_BUCKETS = {1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64};

    @Inject
    MeterRegistry registry;

    public void frame(String model) {
        Counter.builder("dad.frames").description("Frames received").tag("model", model).register(registry).increment();
    }

    public void verdict(String model, Decision decision) {
        Counter.builder("dad.verdicts").description("Verdicts sent, by decision")
                .tag("model", model).tag("decision", decision.name()).register(registry).increment();
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

    private Timer timer(String name, String description, String model) {
        return Timer.builder(name).description(description).tag("model", model)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }
}

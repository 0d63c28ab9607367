package ai.dad.client;

import ai.dad.client.eval.EvalReport;
import ai.dad.client.eval.ModelMaps;
import ai.dad.client.net.Connection;
import ai.dad.client.stream.FrameFile;
import ai.dad.client.stream.FrameResult;
import ai.dad.client.stream.StreamConfig;
import ai.dad.client.stream.StreamRunner;
import ai.dad.client.stream.StreamSummary;
import ai.dad.metrics.Evaluation;
import ai.dad.metrics.Metrics;
import ai.dad.metrics.TestSet;
import ai.dad.proto.v1.GetModelRequest;
import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.ModelInfo;
import ai.dad.proto.v1.RawMap;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dad-client eval}: streams an MVTec-layout test set through the service, asking for every
 * frame's map, and computes the metrics of {@code dad eval} through the same core
 * ({@link Evaluation}) at the model's resolution (from {@code GetModel}): image AUROC and the false
 * OK / false NG counts at the model's threshold from the service's scores, pixel AUROC, AUPRO and
 * AP from its float maps at the model's size ({@link ModelMaps}) where there are masks.
 */
@Command(name = "eval", sortOptions = false,
        description = "Measure the service's model on an MVTec-layout test set (test/<type>/, "
                + "optional masks ground_truth/<type>/<name>_mask.png): image AUROC, false OK / "
                + "false NG at the model's threshold, and where there are masks pixel AUROC, AUPRO "
                + "(FPR <= 0.3) and pixel AP, overall and per defect type, as `dad eval`.",
        footer = {"", "Exit codes: 0 measured, 2 error (a frame was not judged, the call failed)."})
public final class ServiceEvalCommand implements Callable<Integer> {

    @ParentCommand
    DadClient client;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Parameters(paramLabel = "CATEGORY_DIR", description = "An MVTec-layout category folder.")
    Path data;

    @Option(names = "--model", paramLabel = "ID", defaultValue = "",
            description = "Model id (default: the service's default model).")
    String model;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--per-type", paramLabel = "N",
            description = "Use at most N images of each type.")
    Integer perType;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8",
            description = "Frames in flight (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        if (concurrency < 1) {
            stderr.println("dad-client: --concurrency must be at least 1");
            return DadClient.EXIT_ERROR;
        }
        List<TestSet.Item> items = TestSet.subset(TestSet.load(data), perType);
        Map<String, TestSet.Item> byId = new HashMap<>();
        List<FrameFile> frames = new ArrayList<>();
        for (TestSet.Item item : items) {
            byId.put(item.frameId(), item);
            frames.add(new FrameFile(item.image(), item.frameId()));
        }
        try (Connection conn = target.open(client, stderr)) {
            ModelInfo info;
            try {
                info = conn.call(() -> InspectorGrpc.newBlockingStub(conn.channel())
                        .withDeadlineAfter(target.deadline(ModelsCommand.DEFAULT_DEADLINE).toMillis(),
                                TimeUnit.MILLISECONDS)
                        .getModel(GetModelRequest.newBuilder().setModel(model).build()));
            } catch (StatusRuntimeException e) {
                stderr.println("dad-client: " + DadClient.describe(e));
                return DadClient.EXIT_ERROR;
            }
            Evaluation evaluation = new Evaluation();
            List<String> failures = new ArrayList<>();
            StreamConfig config = StreamConfig.DEFAULTS.withModel(info.getId())
                    .withConcurrency(concurrency).withDeadline(target.deadline(null))
                    .withRawMaps(true).withBackoff(target.backoff());
            StreamRunner runner = new StreamRunner(conn.channel(), conn::reconnectNow, config,
                    line -> stderr.println("dad-client: " + line));
            StreamSummary summary = runner.run(frames, r -> add(r, byId, evaluation, failures));
            if (!failures.isEmpty() || summary.streamError() != null || summary.skipped() > 0) {
                failures.forEach(f -> stderr.println("dad-client: " + f));
                stderr.print(summary.toText());
                stderr.println("dad-client: not every frame was judged; no metrics");
                return DadClient.EXIT_ERROR;
            }
            Metrics.Report report = evaluation.report(info.hasThreshold() ? info.getThreshold() : null);
            double msPerImage = 1000 * summary.wallSeconds() / items.size();
            stdout.print(EvalReport.table(report, info, msPerImage));
            stdout.flush();
            if (json != null) {
                Files.writeString(json, EvalReport.json(report, info, target.target, msPerImage)
                        + "\n", StandardCharsets.UTF_8);
            }
            return 0;
        }
    }

    /** Adds one verdict to the metrics, or notes why it cannot be. */
    private static void add(FrameResult r, Map<String, TestSet.Item> byId,
                            Evaluation evaluation, List<String> failures) {
        TestSet.Item item = byId.get(r.file().frameId());
        if (!r.judged()) {
            failures.add(r.file().path() + ": " + r.errorCode() + ": " + r.errorMessage());
            return;
        }
        try {
            RawMap raw = r.verdict().getRawMap();
            evaluation.add(item, r.score(), ModelMaps.fromRawMap(raw), raw.getWidth(), raw.getHeight(),
                    mask -> ModelMaps.maskOnRawMap(mask, raw));
        } catch (IOException | RuntimeException e) {
            failures.add(r.file().path() + ": " + e.getMessage());
        }
    }
}

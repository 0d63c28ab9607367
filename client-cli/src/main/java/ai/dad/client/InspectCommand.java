package ai.dad.client;

import ai.dad.imaging.Heatmap;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.Verdict;
import com.google.gson.GsonBuilder;
import com.google.protobuf.UnsafeByteOperations;
import ai.dad.client.net.Connection;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dad-client inspect}: one frame over the unary Inspect call; prints the verdict as JSON. */
@Command(name = "inspect", sortOptions = false,
        description = "Inspect one image file (unary call) and print the verdict as JSON.",
        footer = {"", "Exit codes: 0 verdict printed, 2 error (the gRPC status is printed)."})
public final class InspectCommand implements Callable<Integer> {

    /** Default deadline: room for a model's first, slow batch. */
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    @ParentCommand
    DadClient client;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Parameters(paramLabel = "FILE", description = "A PNG, JPEG or BMP file.")
    Path file;

    @Option(names = "--model", paramLabel = "ID", defaultValue = "",
            description = "Model id (default: the service's default model).")
    String model;

    @Option(names = "--map", paramLabel = "OUT.png",
            description = "Write the anomaly map (8-bit grey PNG, 255 = 1.0) here.")
    Path map;

    @Option(names = "--overlay", paramLabel = "OUT.png",
            description = "Write the frame with the map blended in as a heat map here.")
    Path overlay;

    @Option(names = "--threshold", paramLabel = "X",
            description = "Decide with this threshold on the raw score instead of the model's.")
    Double threshold;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (threshold != null && !(threshold > 0 && Double.isFinite(threshold))) {
            spec.commandLine().getErr().println("dad-client: --threshold must be a number > 0");
            return DadClient.EXIT_ERROR;
        }
        byte[] bytes = Files.readAllBytes(file);
        InspectRequest.Builder req = InspectRequest.newBuilder()
                .setFrameId(file.getFileName().toString())
                .setModel(model)
                .setImage(UnsafeByteOperations.unsafeWrap(bytes));
        Options.Builder options = Options.newBuilder().setReturnMap(map != null || overlay != null);
        if (threshold != null) {
            options.setThresholdOverride(threshold);
        }
        req.setOptions(options);
        InspectRequest request = req.build();
        Verdict v;
        try (Connection conn = target.open(client, spec.commandLine().getErr())) {
            Duration deadline = target.deadline(DEFAULT_DEADLINE);
            v = conn.call(() -> InspectorGrpc.newBlockingStub(conn.channel())
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .inspect(request));
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("dad-client: " + DadClient.describe(e));
            return DadClient.EXIT_ERROR;
        }
        spec.commandLine().getOut().println(
                new GsonBuilder().setPrettyPrinting().create().toJson(VerdictJson.of(v)));
        if (map != null || overlay != null) {
            if (v.getMapPng().isEmpty()) {
                spec.commandLine().getErr().println("dad-client: the service returned no map");
                return DadClient.EXIT_ERROR;
            }
            if (map != null) {
                Files.write(map, v.getMapPng().toByteArray());
            }
            if (overlay != null) {
                Files.write(overlay, Heatmap.overlayPng(bytes, v.getMapPng().toByteArray()));
            }
        }
        return 0;
    }
}

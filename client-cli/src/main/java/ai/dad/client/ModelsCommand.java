package ai.dad.client;

import ai.dad.proto.v1.InspectorGrpc;
import ai.dad.proto.v1.ListModelsRequest;
import ai.dad.proto.v1.ListModelsResponse;
import ai.dad.proto.v1.ModelInfo;
import ai.dad.client.net.Connection;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dad-client models}: the service's models (ListModels) as a table. */
@Command(name = "models", description = "List the models the service can run.",
        footer = {"", "Exit codes: 0 listed, 2 error."})
public final class ModelsCommand implements Callable<Integer> {

    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(10);

    /** The table's header. */
    static final String[] HEADER =
            {"ID", "VERSION", "PRESET", "SIZE", "MODE", "THRESHOLD", "DEFAULT", "STATE"};

    @ParentCommand
    DadClient client;

    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Override
    public Integer call() throws java.io.IOException, InterruptedException {
        ListModelsResponse resp;
        try (Connection conn = target.open(client, spec.commandLine().getErr())) {
            long deadline = target.deadline(DEFAULT_DEADLINE).toMillis();
            resp = conn.call(() -> InspectorGrpc.newBlockingStub(conn.channel())
                    .withDeadlineAfter(deadline, TimeUnit.MILLISECONDS)
                    .listModels(ListModelsRequest.getDefaultInstance()));
        } catch (StatusRuntimeException e) {
            spec.commandLine().getErr().println("dad-client: " + DadClient.describe(e));
            return DadClient.EXIT_ERROR;
        }
        print(table(resp), spec.commandLine().getOut());
        return 0;
    }

    /** The rows of the table, header first. */
    static List<String[]> table(ListModelsResponse resp) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (ModelInfo m : resp.getModelsList()) {
            boolean isDefault = m.getIsDefault() || m.getId().equals(resp.getDefaultModel());
            rows.add(new String[] {m.getId(), m.getVersion(), m.getPreset(),
                String.valueOf(m.getImageSize()), m.getMode(),
                m.hasThreshold() ? String.format(Locale.ROOT, "%.4f", m.getThreshold())
                        : "uncalibrated",
                isDefault ? "*" : "", state(m)});
        }
        return rows;
    }

    /** READY, LOADING or FAILED (with the service's reason); "-" from a service older than the field. */
    static String state(ModelInfo m) {
        String state = switch (m.getState()) {
            case MODEL_STATE_READY -> "READY";
            case MODEL_STATE_LOADING -> "LOADING";
            case MODEL_STATE_FAILED -> "FAILED";
            default -> "-";
        };
        return m.getStateMessage().isEmpty() ? state : state + " (" + m.getStateMessage() + ")";
    }

    /** Prints rows as left-aligned columns two spaces apart. */
    static void print(List<String[]> rows, PrintWriter out) {
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 2) + "s", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}

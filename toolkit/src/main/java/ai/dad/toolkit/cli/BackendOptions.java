package ai.dad.toolkit.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where and how a command runs a model: {@code --device} and {@code --precision}, as backend config. */
final class BackendOptions {
    @Option(names = "--device", description = "cpu, gpu or gpu:N (default: a GPU if there is one).")
    String device;

    @Option(names = "--precision", paramLabel = "fp32|bf16|fp16",
            description = "Number format of the networks (default: the model's inference.precision, fp32 unless set): "
                    + "bf16 on CPUs with AVX-512 BF16 or AMX and on recent GPUs, fp16 on GPUs.")
    String precision;

    /** The backend config these options give (only what was set). */
    Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        if (device != null) {
            config.put("device", device);
        }
        if (precision != null) {
            config.put("precision", precision);
        }
        return config;
    }
}

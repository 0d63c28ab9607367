package ai.dad.toolkit.cli;

import ai.dad.toolkit.official.OfficialImport;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad import}: a checkpoint trained with the official PyTorch code becomes a model
 * directory of the native networks (docs/IMPORT.md).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import a checkpoint written by the official DiffusionAD train.py (params-*.pt) as a native model.")
public final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FILE.pt", description = "The file torch.save wrote.")
    Path checkpoint;

    @Option(names = "--args", paramLabel = "ARGS.json",
            description = "The official args file it was trained with (default: the args saved in the checkpoint).")
    Path args;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
            description = "A new model directory; its name is the model's id.")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        OfficialImport.Result result = OfficialImport.run(checkpoint, args == null ? null : readArgs(args), out, Plugins.fromClassPath());
        ModelManifest m = result.manifest();
        ModelManifest.Architecture a = m.architecture;
        err.printf(Locale.ROOT, "dad import: %d tensors copied (%d BatchNorm batch counters not needed)%n",
                result.tensors(), result.ignored().size());
        err.printf(Locale.ROOT, "dad import: U-Net %d px, base %d, mults %s, attention at %s px, %s: %,d parameters%n",
                a.imageSize, a.unetBase, a.channelMults, a.attentionResolutions,
                a.headChannels > 0 ? a.headChannels + " channels per head" : a.heads + " heads", result.unetParameters());
        err.printf(Locale.ROOT, "dad import: segmentation net base %d: %,d parameters%n", a.segBase, result.segParameters());
        err.printf(Locale.ROOT, "dad import: inference %s, t_s %d, t_b %d, w %s, top-%d mean, %s schedule (T = %d)%n",
                m.inference.mode, m.inference.tSmall, m.inference.tBig, m.inference.w, m.inference.topK, m.schedule.name, m.schedule.steps);
        err.println("dad import: model '" + out.toAbsolutePath().normalize().getFileName() + "' written to " + out + "; uncalibrated: set its threshold with "
                + "bin/dad calibrate --model " + out + " --data GOOD_IMAGES");
        return CommandLine.ExitCode.OK;
    }

    private Map<?, ?> readArgs(Path file) throws IOException {
        try {
            return new Gson().fromJson(JsonParser.parseString(Files.readString(file)), new TypeToken<Map<String, Object>>() {}.getType());
        } catch (JsonParseException | IllegalStateException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), file + " is not a JSON object of args: " + e.getMessage());
        }
    }
}

package ai.dad.toolkit.cli;

import ai.dad.djl.BlockNetworks;
import ai.dad.djl.DjlBackendProvider;
import ai.dad.djl.Presets;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad info --preset NAME}: builds a preset's networks and prints one JSON object with its
 * architecture, exact trainable parameter counts, and the engine and device DJL picked.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Build a preset's networks and print its architecture and parameter counts as JSON.")
public final class InfoCommand implements Callable<Integer> {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", required = true, paramLabel = "NAME",
            description = "One of: paper, small, tiny, demo.")
    String preset;

    @Override
    public Integer call() {
        ModelManifest manifest;
        try {
            manifest = Presets.manifest(preset);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        Device device = DjlBackendProvider.device(null);
        Engine engine = Engine.getEngine("PyTorch");
        JsonObject json = new JsonObject();
        json.addProperty("preset", manifest.preset);
        json.addProperty("image_size", manifest.architecture.imageSize);
        try (NDManager manager = NDManager.newBaseManager(device, "PyTorch");
                BlockNetworks nets = BlockNetworks.create(manifest, Plugins.fromClassPath(), manager, 0)) {
            json.addProperty("unet_params", BlockNetworks.trainableParameters(nets.unet()));
            json.addProperty("seg_params", BlockNetworks.trainableParameters(nets.seg()));
        }
        json.add("architecture", GSON.toJsonTree(manifest.architecture));
        json.addProperty("engine", engine.getEngineName());
        json.addProperty("engine_version", engine.getVersion());
        json.addProperty("device", name(device));
        PrintWriter out = spec.commandLine().getOut();
        out.println(GSON.toJson(json));
        out.flush();
        return CommandLine.ExitCode.OK;
    }

    /** The device as {@code Device.fromName} reads it back: {@code cpu}, {@code gpu0}, ... */
    static String name(Device device) {
        return device.getDeviceId() >= 0 ? device.getDeviceType() + device.getDeviceId() : device.getDeviceType();
    }
}

package ai.dad.djl;

import ai.dad.spi.BackendProvider;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.plugin.Plugins;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The default backend, DJL with PyTorch. Config: {@code device} = {@code cpu}, {@code gpu} or
 * {@code gpu:N}; by default the first GPU where there is one, else the CPU.
 */
public final class DjlBackendProvider implements BackendProvider {
    public static final String NAME = "djl";

    static {
        Offline.enforce();
        NativeMemory.tune();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return 100;
    }

    @Override
    public boolean isAvailable() {
        try {
            return Engine.getEngine("PyTorch") != null;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public InspectionBackend open(Path modelDir, Plugins plugins, Map<String, String> config) throws IOException {
        ModelManifest manifest = ModelManifest.read(modelDir);
        NoiseSchedule schedule = schedule(manifest, plugins);
        NDManager manager = NDManager.newBaseManager(device(config.get("device")), "PyTorch");
        try {
            Networks networks = "torchscript".equals(manifest.weights.format)
                    ? TorchScriptNetworks.load(modelDir, manifest, manager)
                    : BlockNetworks.load(modelDir, manifest, plugins, manager);
            return new DjlInspectionBackend(manifest, schedule, networks, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The manifest's schedule, from whichever provider (class path or plugin) has its name. */
    public static NoiseSchedule schedule(ModelManifest manifest, Plugins plugins) {
        return plugins.schedule(manifest.schedule.name).create(manifest.schedule.steps, manifest.schedule.options);
    }

    /** The device named in config, or the first GPU if there is one, else the CPU. */
    public static Device device(String configured) {
        if (configured != null && !configured.isBlank()) {
            String name = configured.trim().toLowerCase(Locale.ROOT);
            if (name.equals("cpu")) {
                return Device.cpu();
            }
            if (name.equals("gpu")) {
                return Device.gpu();
            }
            if (name.matches("gpu:?\\d+")) {
                return Device.gpu(Integer.parseInt(name.replaceAll("\\D", "")));
            }
            throw new IllegalArgumentException("unknown device '" + configured + "': use cpu, gpu or gpu:N");
        }
        return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }
}

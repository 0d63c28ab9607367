package ai.dad.djl;

import ai.dad.spi.BackendProvider;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.BackendContext;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default backend, DJL with PyTorch. Config: {@code device} = {@code cpu}, {@code gpu} or
 * {@code gpu:N}, by default the first GPU where there is one, else the CPU; {@code precision} =
 * {@code fp32}, {@code bf16} or {@code fp16} overrides the manifest's {@code inference.precision}.
 */
public final class DjlBackendProvider implements BackendProvider {
    public static final String NAME = "djl";
    private static final Logger LOG = LoggerFactory.getLogger(DjlBackendProvider.class);
    private static final AtomicBoolean DEVICE_LOGGED = new AtomicBoolean();

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
        EngineSetup.ensure();
        try {
            return Engine.getEngine("PyTorch") != null;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public InspectionBackend open(Path modelDir, BackendContext context, Map<String, String> config) throws IOException {
        EngineSetup.ensure();
        ModelManifest manifest = ModelManifest.read(modelDir);
        String precisionName = config.getOrDefault("precision", manifest.inference.precision);
        Precision precision = Precision.parse(precisionName);
        manifest.inference.precision = precision.label();
        NoiseSchedule schedule = schedule(manifest, context);
        Device device = device(config.get("device"));
        precision.requireSupportedOn(device);
        boolean torchScript = "torchscript".equals(manifest.weights.format);
        if (torchScript && precision != Precision.FP32) {
            throw new IllegalArgumentException("precision " + precision.label() + " needs native (djl) weights; "
                    + "TorchScript modules run in the precision they were exported in");
        }
        NDManager manager = NDManager.newBaseManager(device, "PyTorch");
        try {
            Networks networks;
            if (torchScript) {
                networks = TorchScriptNetworks.load(modelDir, manifest, manager);
            } else {
                BlockNetworks nets = BlockNetworks.load(modelDir, manifest, context, manager);
                nets.usePrecision(precision);
                networks = nets;
            }
            return new DjlInspectionBackend(manifest, schedule, networks, manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The manifest's schedule, from whichever provider (class path or plugin) has its name. */
    public static NoiseSchedule schedule(ModelManifest manifest, BackendContext context) {
        return context.schedule(manifest.schedule.name).create(manifest.schedule.steps, manifest.schedule.options);
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
        Device chosen = Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
        if (!DEVICE_LOGGED.getAndSet(true)) {
            LOG.info("PyTorch runs on {}", chosen.isGpu() ? "GPU " + chosen.getDeviceId() : "the CPU (no CUDA GPU found)");
        }
        return chosen;
    }
}

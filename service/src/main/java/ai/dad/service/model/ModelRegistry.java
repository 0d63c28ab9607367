package ai.dad.service.model;

import ai.dad.service.InspectionMetrics;
import ai.dad.service.ServiceConfig;
import ai.dad.service.batch.Batcher;
import ai.dad.service.health.ServiceHealth;
import ai.dad.spi.BackendProvider;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Loads every model under {@code dad.models.dir} (one directory each, named by its id: see
 * {@link ModelDirectories}) with the backend the SPI picks, warms each one up, and gives them to the gRPC service. Loading runs in
 * the background so that health can say NOT_SERVING until every model is warm.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);

    @Inject
    ServiceConfig config;

    @Inject
    ServiceHealth health;

    @Inject
    InspectionMetrics metrics;

    private volatile Map<String, LoadedModel> models = Map.of();
    private volatile String defaultId = "";

    void start(@Observes StartupEvent event) {
        Thread loader = new Thread(this::loadAll, "dad-model-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /** Stops taking frames, finishes the accepted ones, then frees the models. */
    void stop(@Observes ShutdownEvent event) {
        health.set(ServiceHealth.State.DRAINING, "shutting down");
        for (LoadedModel model : models.values()) {
            model.batcher().close(config.drainTimeout());
            model.backend().close();
        }
        LOG.info("models drained and closed");
    }

    /** The model called {@code id}, or the default model for an empty id. */
    public LoadedModel get(String id) throws ModelNotFoundException, ServiceUnavailableException {
        if (!health.serving()) {
            throw new ServiceUnavailableException("service is " + health.state().name().toLowerCase() + ": " + health.detail());
        }
        String wanted = id == null || id.isEmpty() ? defaultId : id;
        LoadedModel model = models.get(wanted);
        if (model == null) {
            throw new ModelNotFoundException("unknown model '" + shorten(wanted) + "'; this service has " + models.keySet());
        }
        return model;
    }

    public Collection<LoadedModel> all() {
        return models.values();
    }

    public String defaultId() {
        return defaultId;
    }

    private void loadAll() {
        try {
            long start = System.nanoTime();
            Plugins plugins = Plugins.load(config.pluginsDir().map(Path::of).orElse(null));
            BackendProvider provider = plugins.backend(config.backend().orElse(null));
            Map<String, String> backendConfig = new HashMap<>();
            config.device().ifPresent(d -> backendConfig.put("device", d));
            Map<String, LoadedModel> loaded = new LinkedHashMap<>();
            for (Path dir : ModelDirectories.find(Path.of(config.models().dir()), LOG::warn)) {
                LoadedModel model = load(provider, plugins, backendConfig, dir);
                loaded.put(model.id(), model);
            }
            if (loaded.isEmpty()) {
                throw new IOException("no model directories (with " + ModelManifest.FILE_NAME + ") in " + config.models().dir());
            }
            String chosen = ModelDirectories.defaultModel(config.models().defaultModel(), List.copyOf(loaded.keySet()),
                    LOG::warn);
            models = Map.copyOf(loaded);
            defaultId = chosen;
            health.set(ServiceHealth.State.SERVING, loaded.size() + " model(s), default " + chosen);
            LOG.infof("serving %s with backend %s (default %s) after %.1f s", loaded.keySet(), provider.name(), chosen,
                    (System.nanoTime() - start) / 1e9);
        } catch (Exception | LinkageError e) {
            LOG.error("cannot load models", e);
            health.set(ServiceHealth.State.FAILED, "cannot load models: " + e.getMessage());
        }
    }

    private LoadedModel load(BackendProvider provider, Plugins plugins, Map<String, String> backendConfig, Path dir)
            throws IOException {
        long start = System.nanoTime();
        String id = dir.getFileName().toString();
        InspectionBackend backend = provider.open(dir, plugins, backendConfig);
        warmUp(backend);
        var batch = config.batch();
        Batcher batcher = new Batcher(id, backend, batch.maxSize(), batch.maxDelay(), batch.queueCapacity(), metrics);
        double seconds = (System.nanoTime() - start) / 1e9;
        LoadedModel model = new LoadedModel(id, backend, batcher, deviceName(backend.manager().getDevice()), seconds);
        metrics.modelLoaded(id, seconds, batcher::queued);
        LOG.infof("model %s (%s, %d px) loaded and warm in %.1f s on %s", id, model.manifest().preset,
                model.imageSize(), seconds, model.device());
        return model;
    }

    /** One full pass, so the first real frame does not pay for lazy initialisation. */
    private static void warmUp(InspectionBackend backend) {
        int size = backend.manifest().architecture.imageSize;
        try (NDManager call = backend.manager().newSubManager()) {
            backend.inspect(call.full(new Shape(1, 3, size, size), 0.5f)).scores().toFloatArray();
        }
    }

    static String deviceName(Device device) {
        return device.getDeviceId() >= 0 ? device.getDeviceType() + device.getDeviceId() : device.getDeviceType();
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}

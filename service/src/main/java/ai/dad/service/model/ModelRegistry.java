package ai.dad.service.model;

import ai.dad.service.InspectionMetrics;
import ai.dad.service.ServiceConfig;
import ai.dad.service.batch.Batcher;
import ai.dad.service.health.ServiceHealth;
import ai.dad.service.health.ServiceHealth.State;
import ai.dad.service.model.ModelStatus.Latest;
import ai.dad.spi.BackendProvider;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.PixelBatch;
import ai.dad.spi.plugin.Plugins;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The models the service serves, kept in step with {@code dad.models.dir} while it runs: one
 * directory per model, named by its id ({@link ModelDirectories}). The folder is the only
 * control; there is no API to load or unload.
 *
 * <p>One thread, the watcher, does every load and unload, one at a time (so at most one extra
 * model is in memory at once). It scans the folder at start and loads everything there, then
 * scans again every {@code dad.models.poll-interval} and acts only on what two consecutive
 * scans agree on, so that a directory being copied, written in place or swapped is left alone
 * until it is quiet:
 * <ul>
 *   <li>a new directory loads and warms up while the others serve, then serves;
 *   <li>a changed one ({@link ModelStamp}) loads beside the version serving and replaces it in
 *       one step: frames that started on the old version finish on it ({@link LoadedModel}),
 *       later ones get the new one, and the old one is closed once its last frame is done;
 *   <li>a version that fails to load leaves the previous one serving, says why (log,
 *       {@link ModelStatus}, {@code dad_model_load_failures_total}) and is not tried again until
 *       its directory changes;
 *   <li>a removed directory takes no more frames and is closed once its frames are done.
 * </ul>
 * Health follows the default model ({@link #updateHealth()}).
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

    // Replaced (never changed) by the watcher thread; read by every request.
    private volatile SortedMap<String, ModelStatus> models = Collections.emptySortedMap();
    private volatile String defaultId = "";
    private volatile boolean draining;

    // The watcher thread's own.
    private ScheduledExecutorService watcher;
    private Path root;
    private BackendProvider provider;
    private Plugins plugins;
    private final Map<String, String> backendConfig = new HashMap<>();
    /** The previous scan's model directories and stamps; null until a scan succeeded. */
    private Map<String, ModelStamp> previousScan;
    private Set<String> previousNotes = Set.of();
    /** Versions replaced or removed whose frames are not all done yet. */
    private final List<LoadedModel> retired = new ArrayList<>();

    void start(@Observes StartupEvent event) {
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dad-model-watcher");
            t.setDaemon(true);
            return t;
        });
        watcher.execute(this::startWatching);
    }

    /** Stops taking frames, finishes the accepted ones, then frees the models. */
    void stop(@Observes ShutdownEvent event) {
        draining = true;
        health.set(State.DRAINING, "shutting down");
        if (watcher != null) {
            watcher.shutdownNow();
            try {
                // A load under way cannot be interrupted; wait for it (bounded) so it is closed too.
                watcher.awaitTermination(config.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ModelStatus status : models.values()) {
            if (status.serving() != null) {
                status.serving().close(config.drainTimeout());
            }
        }
        retired.forEach(m -> m.close(config.drainTimeout()));
        retired.clear();
        LOG.info("models drained and closed");
    }

    /**
     * The version of model {@code id} (the default model for an empty id) that a new frame
     * goes to, held for that frame: the caller must {@link LoadedModel#release()} it once the
     * frame's verdict is built.
     */
    public LoadedModel acquire(String id) throws ModelNotFoundException, ServiceUnavailableException {
        if (!health.serving()) {
            throw new ServiceUnavailableException("service is " + health.state().name().toLowerCase() + ": " + health.detail());
        }
        while (true) {
            LoadedModel model = serving(id).serving();
            if (model.acquire()) {
                return model;
            }
            // Replaced or removed since the lookup, and already let go: look again.
        }
    }

    /**
     * Model {@code id} (the default model for an empty id) with the version serving now, not
     * held; {@link ServiceUnavailableException} saying why when no version serves.
     */
    public ModelStatus serving(String id) throws ModelNotFoundException, ServiceUnavailableException {
        ModelStatus status = status(id);
        if (status.serving() == null) {
            throw new ServiceUnavailableException("model '" + status.id() + "' is not serving: " + status.message());
        }
        return status;
    }

    private ModelStatus status(String id) throws ModelNotFoundException, ServiceUnavailableException {
        String wanted = id == null || id.isEmpty() ? defaultId : id;
        if (wanted.isEmpty()) {
            throw new ServiceUnavailableException("no default model: " + health.detail());
        }
        ModelStatus status = models.get(wanted);
        if (status == null) {
            throw new ModelNotFoundException("unknown model '" + shorten(wanted) + "'; this service has " + models.keySet());
        }
        return status;
    }

    /** Every model found in the folder, serving or not, by id. */
    public Collection<ModelStatus> statuses() {
        return models.values();
    }

    public String defaultId() {
        return defaultId;
    }

    private void startWatching() {
        long start = System.nanoTime();
        root = Path.of(config.models().dir());
        try {
            plugins = Plugins.load(config.pluginsDir().map(Path::of).orElse(null));
            provider = plugins.backend(config.backend().orElse(null));
        } catch (Exception | LinkageError e) {
            LOG.error("cannot load models: no backend", e);
            health.set(State.FAILED, "cannot load models: " + e.getMessage());
            return;
        }
        config.device().ifPresent(d -> backendConfig.put("device", d));
        scan();
        LOG.infof("models %s with backend %s after %.1f s", models.keySet(), provider.name(), (System.nanoTime() - start) / 1e9);
        Duration every = config.models().pollInterval();
        if (every.isZero() || every.isNegative()) {
            LOG.infof("not watching %s (dad.models.poll-interval is 0): models change only with a restart", root);
        } else {
            LOG.infof("watching %s for new, changed and removed models every %d ms", root, every.toMillis());
            watcher.scheduleWithFixedDelay(this::scan, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** One look at the folder and the loads and unloads it calls for. Never throws: that would end the watching. */
    private void scan() {
        try {
            closeDrained();
            Map<String, ModelStamp> found = look();
            // At start the folder is taken as it is; later a directory must look the same twice.
            Map<String, ModelStamp> before = previousScan == null ? found : previousScan;
            previousScan = found;
            for (Map.Entry<String, ModelStamp> dir : found.entrySet()) {
                ModelStatus current = models.get(dir.getKey());
                boolean settled = dir.getValue().equals(before.get(dir.getKey()));
                if (settled && !draining && (current == null || !current.stamp().equals(dir.getValue()))) {
                    load(dir.getKey(), dir.getValue());
                }
            }
            for (String id : models.keySet()) {
                if (!found.containsKey(id) && !before.containsKey(id)) {
                    unload(id);
                }
            }
        } catch (IOException e) {
            if (previousScan == null) {
                LOG.error("cannot load models", e);
                health.set(State.FAILED, "cannot load models: " + e.getMessage());
            } else {
                LOG.warnf("cannot scan %s (the models serving stay as they are): %s", root, e.getMessage());
            }
            return;
        } catch (Exception | LinkageError e) {
            LOG.error("the model watcher failed", e);
        }
        updateHealth();
    }

    /** The model directories in the folder now, with their stamps; logs what is left out, once. */
    private Map<String, ModelStamp> look() throws IOException {
        Set<String> notes = new LinkedHashSet<>();
        Map<String, ModelStamp> found = new TreeMap<>();
        for (Path dir : ModelDirectories.find(root, notes::add)) {
            try {
                found.put(dir.getFileName().toString(), ModelStamp.of(dir));
            } catch (IOException e) {
                notes.add(dir + " cannot be read now (" + e + "): looked at again at the next scan");
            }
        }
        notes.stream().filter(n -> !previousNotes.contains(n)).forEach(LOG::warn);
        previousNotes = notes;
        return found;
    }

    private void load(String id, ModelStamp stamp) {
        ModelStatus before = models.get(id);
        LoadedModel serving = before == null ? null : before.serving();
        publish(new ModelStatus(id, serving, Latest.LOADING, serving == null
                ? "loading from " + stamp.realDir()
                : "loading a new version from " + stamp.realDir() + " beside version " + serving.manifest().version, stamp));
        LoadedModel fresh;
        try {
            fresh = open(id, stamp.realDir());
        } catch (Exception | LinkageError e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            String message = serving == null
                    ? "failed to load from " + stamp.realDir() + ": " + why
                    : "the new version in " + stamp.realDir() + " failed to load (" + why + "); version "
                            + serving.manifest().version + " serves on";
            publish(new ModelStatus(id, serving, Latest.FAILED, message, stamp));
            metrics.modelLoadFailed(id);
            LOG.errorf(e, "model %s %s", id, message);
            return;
        }
        if (!stamp.equals(stampNow(id))) {
            fresh.close(Duration.ZERO);
            publish(before, id);
            LOG.infof("model %s changed while it loaded: loading it again once it is quiet", id);
            return;
        }
        publish(new ModelStatus(id, fresh, Latest.SERVING, "", stamp));
        String version = fresh.manifest().version;
        LOG.infof("model %s version %s (%s, %d px) loaded and warm in %.1f s on %s%s", id, version, fresh.manifest().preset,
                fresh.imageSize(), fresh.loadSeconds(), fresh.device(), serving == null ? ""
                        : "; it replaces version " + serving.manifest().version + " for new frames");
        if (serving != null) {
            if (version.equals(serving.manifest().version)) {
                LOG.warnf("model %s changed but its manifest's version did not (%s): verdicts cannot tell the two apart", id, version);
            }
            metrics.modelUnloaded(id);
            retire(serving);
        }
        metrics.modelLoaded(id, fresh.loadSeconds(), fresh.batcher()::queued);
    }

    private void unload(String id) {
        ModelStatus gone = models.get(id);
        publish(null, id);
        if (gone.serving() != null) {
            metrics.modelUnloaded(id);
            retire(gone.serving());
        }
        LOG.infof("model %s was removed from %s: it takes no more frames and is closed once its frames are done", id, root);
    }

    private ModelStamp stampNow(String id) {
        try {
            return ModelStamp.of(root.resolve(id));
        } catch (IOException e) {
            return null;
        }
    }

    private void publish(ModelStatus status) {
        publish(status, status.id());
    }

    /** Puts {@code status} (null: nothing) under {@code id}, in one step for the readers. */
    private void publish(ModelStatus status, String id) {
        SortedMap<String, ModelStatus> next = new TreeMap<>(models);
        if (status == null) {
            next.remove(id);
        } else {
            next.put(id, status);
        }
        models = Collections.unmodifiableSortedMap(next);
    }

    /** Lets go of a version no new frame may get; it is closed once its frames are done. */
    private void retire(LoadedModel model) {
        model.release();
        retired.add(model);
        closeDrained();
    }

    private void closeDrained() {
        for (Iterator<LoadedModel> it = retired.iterator(); it.hasNext();) {
            LoadedModel model = it.next();
            if (model.drained()) {
                String version = model.manifest().version;
                model.close(config.drainTimeout());
                it.remove();
                LOG.infof("model %s version %s closed", model.id(), version);
            }
        }
    }

    /**
     * The default model, and health from it: SERVING while it serves; FAILED when it failed to
     * load (a restart may help); WAITING while it is loading or not in the folder.
     */
    private void updateHealth() {
        if (draining) {
            return;
        }
        List<String> serving = models.values().stream().filter(s -> s.serving() != null).map(ModelStatus::id).toList();
        String chosen = ModelDirectories.defaultModel(config.models().defaultModel(), serving);
        if (!chosen.equals(defaultId) && serving.size() > 1 && config.models().defaultModel().isEmpty()) {
            LOG.warnf("models %s and no dad.models.default-model: requests that name no model go to the first, %s",
                    serving, chosen);
        }
        defaultId = chosen;
        ModelStatus status = models.get(chosen);
        State state;
        String detail;
        if (status != null && status.serving() != null) {
            state = State.SERVING;
            detail = serving.size() + " model(s) serving, default " + chosen;
        } else if (status != null && status.latest() == Latest.FAILED) {
            state = State.FAILED;
            detail = "default model '" + chosen + "' " + status.message();
        } else if (status != null) {
            state = State.WAITING;
            detail = "default model '" + chosen + "' is loading";
        } else if (chosen.isEmpty()) {
            state = State.WAITING;
            detail = "no model in " + root + " yet (one directory per model, with its " + ModelManifest.FILE_NAME + ")";
        } else {
            state = State.WAITING;
            detail = "default model '" + chosen + "' (dad.models.default-model) is not in " + root;
        }
        if (state != health.state() || !detail.equals(health.detail())) {
            health.set(state, detail);
            LOG.infof("health: %s (%s)", state, detail);
        }
    }

    private LoadedModel open(String id, Path dir) throws IOException {
        long start = System.nanoTime();
        InspectionBackend backend = provider.open(dir, plugins, backendConfig);
        try {
            warmUp(backend);
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
        var batch = config.batch();
        Batcher batcher = new Batcher(id, backend, batch.maxSize(), batch.maxDelay(), batch.queueCapacity(), metrics);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LoadedModel(id, backend, batcher, backend.device(), seconds);
    }

    /** One full pass, so the first real frame does not pay for lazy initialisation. */
    private static void warmUp(InspectionBackend backend) {
        int size = backend.manifest().architecture.imageSize;
        backend.inspect(PixelBatch.filled(1, size, 0.5f));
    }

    private static String shorten(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}

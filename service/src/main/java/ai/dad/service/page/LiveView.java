package ai.dad.service.page;

import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.Verdict;
import ai.dad.service.health.ServiceHealth;
import ai.dad.service.model.LoadedModel;
import ai.dad.service.model.ModelRegistry;
import ai.dad.service.model.ModelStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the operator page knows: every verdict and error counted per model, and the last NG
 * frames. Recording a verdict costs a few array writes, and an NG one a place in the gallery;
 * thumbnails are drawn only when a page asks for them. Nothing is written to disk.
 */
@ApplicationScoped
public class LiveView {
    @Inject
    ModelRegistry registry;

    @Inject
    ServiceHealth health;

    /** Keyed by loaded model ids only, so bounded by the models directory. */
    private final Map<String, ModelActivity> activity = new ConcurrentHashMap<>();
    private final NgGallery gallery = new NgGallery();

    /**
     * Records a verdict.
     *
     * @param view the frame's region as the map covers it, at the map's size (the model's input
     *     for a stretched frame, the region at the stitched grid's size for tiles)
     * @param map the anomaly map, the same size as {@code view}
     * @param frameWidth the original frame's width (for the thumbnail's aspect ratio)
     * @param latencyNanos time from the request's arrival to its verdict
     */
    public void verdict(Verdict verdict, RgbImage view, float[] map, int frameWidth, int frameHeight, long latencyNanos) {
        activity(verdict.getModel()).verdict(verdict, latencyNanos / 1e6);
        if (verdict.getDecision() == Decision.NG) {
            gallery.add(verdict, view, map, frameWidth, frameHeight);
        }
    }

    /** Records a frame of {@code model} answered with an error. */
    public void failed(String model) {
        activity(model).error();
    }

    PageData snapshot() {
        // The versions serving now (a model still loading or failed has none to show).
        var models = registry.statuses().stream()
                .map(ModelStatus::serving)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(LoadedModel::id))
                .map(m -> activity(m.id()).view(new PageData.ModelInfo(m.id(), m.manifest().version, m.device(),
                        m.manifest().calibration.threshold)))
                .toList();
        var ng = gallery.recent().stream()
                .map(f -> new PageData.Ng(f.seq(), f.model(), f.version(), f.frameId(), f.epochMillis(), f.score(),
                        f.threshold()))
                .toList();
        return new PageData(health.state().name(), health.detail(), models, ng);
    }

    Optional<byte[]> thumbnail(long seq) throws IOException {
        return gallery.thumbnail(seq);
    }

    private ModelActivity activity(String model) {
        return activity.computeIfAbsent(model, id -> new ModelActivity());
    }
}

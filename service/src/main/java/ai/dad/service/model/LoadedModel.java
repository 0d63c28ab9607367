package ai.dad.service.model;

import ai.dad.service.batch.Batcher;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;

/**
 * A model ready to serve: its id (the name of its directory), the backend instance holding its
 * weights, the batcher that feeds it, and where it runs.
 */
public record LoadedModel(String id, InspectionBackend backend, Batcher batcher, String device, double loadSeconds) {

    public ModelManifest manifest() {
        return backend.manifest();
    }

    public int imageSize() {
        return manifest().architecture.imageSize;
    }
}

package ai.dad.spi;

/**
 * What a backend may look up while it opens a model: the noise schedules and segmentation heads
 * installed with it, by the names a manifest gives. {@link ai.dad.spi.plugin.Plugins} is the
 * implementation the tools and the service pass; a test can pass its own.
 */
public interface BackendContext {

    /** The schedule provider called {@code name}; an {@link IllegalArgumentException} naming the installed ones if none is. */
    NoiseScheduleProvider schedule(String name);

    /** The segmentation head provider called {@code name}; an {@link IllegalArgumentException} naming the installed ones if none is. */
    SegmentationHeadProvider segmentationHead(String name);
}

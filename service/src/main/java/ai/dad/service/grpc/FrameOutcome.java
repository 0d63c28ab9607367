package ai.dad.service.grpc;

import ai.dad.imaging.Bilinear;
import ai.dad.imaging.FrameLayout;
import ai.dad.service.batch.BatchResult;
import java.util.List;

/**
 * What the model computed for one frame, from the results of the inputs the frame was cut into
 * (one, or its tiles): the score and the map on the layout's grid ({@link FrameLayout}).
 *
 * @param queueMicros the longest any of its inputs waited
 * @param inferenceMicros the longest batch any of its inputs ran in
 * @param batchSize the largest batch any of its inputs ran in
 */
record FrameOutcome(double score, float[] grid, FrameLayout.Plan plan, long queueMicros, long inferenceMicros,
        int batchSize) {

    static FrameOutcome of(FrameLayout.Plan plan, FrameLayout.Fit fit, List<BatchResult> parts, int topK) {
        long queue = 0;
        long inference = 0;
        int batch = 0;
        for (BatchResult r : parts) {
            queue = Math.max(queue, r.queueMicros());
            inference = Math.max(inference, r.inferenceMicros());
            batch = Math.max(batch, r.batchSize());
        }
        FrameLayout.Plan.Scored scored = plan.score(fit, parts.stream().map(BatchResult::map).toList(),
                parts.get(0).score(), topK);
        return new FrameOutcome(scored.score(), scored.grid(), plan, queue, inference, batch);
    }

    int tiles() {
        return plan.pieces().size();
    }

    /** The map at the original frame's size (the layout may have rescaled the frame to the trained size first). */
    float[] frameMap(int width, int height) {
        float[] map = plan.toFrame(grid);
        return plan.frameWidth() == width && plan.frameHeight() == height
                ? map : Bilinear.resize(map, 1, plan.frameWidth(), plan.frameHeight(), width, height);
    }

    /** The grid's rectangle in the original frame's pixels. */
    FrameLayout.Rect regionIn(int width, int height) {
        FrameLayout.Rect r = plan.region();
        double sx = (double) width / plan.frameWidth();
        double sy = (double) height / plan.frameHeight();
        return new FrameLayout.Rect((int) Math.round(r.x() * sx), (int) Math.round(r.y() * sy),
                Math.max(1, (int) Math.round(r.width() * sx)), Math.max(1, (int) Math.round(r.height() * sy)));
    }
}

package ai.dad.client;

import ai.dad.proto.v1.Region;
import ai.dad.proto.v1.Verdict;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * A Verdict as JSON with the proto's field names. The map and mask PNGs are left out (their
 * sizes are given instead): they are written to files, not printed.
 */
public final class VerdictJson {

    private VerdictJson() {}

    /** The verdict as a JSON object. */
    public static JsonObject of(Verdict v) {
        JsonObject o = new JsonObject();
        o.addProperty("frame_id", v.getFrameId());
        o.addProperty("model", v.getModel());
        o.addProperty("model_version", v.getModelVersion());
        if (v.hasError()) {
            JsonObject e = new JsonObject();
            e.addProperty("code", v.getError().getCode());
            e.addProperty("message", v.getError().getMessage());
            o.add("error", e);
        } else {
            o.addProperty("score", v.getScore());
            o.addProperty("normalized_score", v.getNormalizedScore());
            o.addProperty("threshold", v.getThreshold());
        }
        o.addProperty("decision", v.getDecision().name());
        if (v.getRegionsCount() > 0) {
            JsonArray regions = new JsonArray();
            for (Region r : v.getRegionsList()) {
                JsonObject j = new JsonObject();
                j.addProperty("x", r.getX());
                j.addProperty("y", r.getY());
                j.addProperty("width", r.getWidth());
                j.addProperty("height", r.getHeight());
                j.addProperty("area", r.getArea());
                j.addProperty("max_score", r.getMaxScore());
                j.addProperty("mean_score", r.getMeanScore());
                regions.add(j);
            }
            o.add("regions", regions);
        }
        if (!v.getMapPng().isEmpty()) {
            o.addProperty("map_png_bytes", v.getMapPng().size());
        }
        if (!v.getMaskPng().isEmpty()) {
            o.addProperty("mask_png_bytes", v.getMaskPng().size());
        }
        if (v.hasTimings()) {
            JsonObject t = new JsonObject();
            t.addProperty("decode_us", v.getTimings().getDecodeUs());
            t.addProperty("queue_us", v.getTimings().getQueueUs());
            t.addProperty("inference_us", v.getTimings().getInferenceUs());
            t.addProperty("postprocess_us", v.getTimings().getPostprocessUs());
            t.addProperty("batch_size", v.getTimings().getBatchSize());
            o.add("timings", t);
        }
        if (!v.getPartId().isEmpty()) {
            o.addProperty("part_id", v.getPartId());
        }
        if (!v.getJobId().isEmpty()) {
            o.addProperty("job_id", v.getJobId());
        }
        return o;
    }
}

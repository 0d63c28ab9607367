package ai.dad.service.grpc;

import ai.dad.imaging.FrameLayout;
import ai.dad.imaging.Png;
import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.RawMap;
import ai.dad.proto.v1.Timings;
import ai.dad.proto.v1.Verdict;
import ai.dad.service.model.LoadedModel;
import ai.dad.spi.ModelManifest;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns a model result into the caller's verdict: normalised score, threshold and decision,
 * and, when the request's map policy says so for this decision, the map, mask and regions at
 * the frame's original size and the raw map at the model's.
 */
final class VerdictBuilder {
    private VerdictBuilder() {}

    static Verdict build(InspectRequest request, LoadedModel model, int width, int height, FrameOutcome result, long decodeMicros) {
        long start = System.nanoTime();
        ModelManifest manifest = model.manifest();
        ModelManifest.Calibration calibration = manifest.calibration;
        Options options = request.getOptions();
        double score = result.score();
        Double threshold = options.getThresholdOverride() > 0 ? Double.valueOf(options.getThresholdOverride()) : calibration.threshold;
        Decision decision = threshold == null ? Decision.UNCALIBRATED : score >= threshold ? Decision.NG : Decision.OK;
        Verdict.Builder verdict = Verdict.newBuilder()
                .setFrameId(request.getFrameId())
                .setModel(model.id())
                .setModelVersion(manifest.version)
                .setScore(score)
                .setNormalizedScore((score - calibration.center) / calibration.scale)
                .setThreshold(threshold == null ? 0 : threshold)
                .setDecision(decision)
                .setPartId(request.getPartId())
                .setJobId(request.getJobId());
        if (wantsMapOutputs(options, decision)) {
            addMapOutputs(verdict, options, result, width, height);
        }
        verdict.setTimings(Timings.newBuilder()
                .setDecodeUs(decodeMicros)
                .setQueueUs(result.queueMicros())
                .setInferenceUs(result.inferenceMicros())
                .setBatchSize(result.batchSize())
                .setTiles(result.tiles())
                .setPostprocessUs((System.nanoTime() - start) / 1000));
        return verdict.build();
    }

    /** Whether this verdict carries map outputs, by the request's map policy and return_* fields. */
    static boolean wantsMapOutputs(Options o, Decision decision) {
        return switch (o.getMapPolicy()) {
            case MAP_NEVER -> false;
            case MAP_ALWAYS -> true;
            case MAP_NG_ONLY -> decision == Decision.NG;
            default -> namesAnOutput(o); // unset: the return_* fields alone, as before map_policy
        };
    }

    private static boolean namesAnOutput(Options o) {
        return o.getReturnMap() || o.getReturnMask() || o.getReturnRegions() || o.getReturnRawMap();
    }

    private static void addMapOutputs(Verdict.Builder verdict, Options options, FrameOutcome result, int width, int height) {
        if (options.getReturnRawMap()) {
            float[] grid = result.grid();
            ByteBuffer bytes = ByteBuffer.allocate(4 * grid.length).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(grid);
            FrameLayout.Rect region = result.regionIn(width, height);
            verdict.setRawMap(RawMap.newBuilder().setWidth(result.plan().gridWidth()).setHeight(result.plan().gridHeight())
                    .setData(ByteString.copyFrom(bytes.array()))
                    .setFrameX(region.x()).setFrameY(region.y()).setFrameWidth(region.width()).setFrameHeight(region.height()));
        }
        // A policy with no output named means the map PNG.
        boolean mapPng = options.getReturnMap() || !namesAnOutput(options);
        if (!mapPng && !options.getReturnMask() && !options.getReturnRegions()) {
            return; // the raw map alone: no resize to the frame
        }
        float[] map = result.frameMap(width, height);
        double level = options.getMaskLevel() > 0 ? options.getMaskLevel() : Regions.DEFAULT_LEVEL;
        boolean[] mask = Regions.mask(map, level);
        try {
            if (mapPng) {
                verdict.setMapPng(ByteString.copyFrom(Png.encodeGray(map, width, height)));
            }
            if (options.getReturnMask()) {
                float[] binary = new float[mask.length];
                for (int i = 0; i < mask.length; i++) {
                    binary[i] = mask[i] ? 1f : 0f;
                }
                verdict.setMaskPng(ByteString.copyFrom(Png.encodeGray(binary, width, height)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the map as PNG", e);
        }
        if (options.getReturnRegions()) {
            verdict.addAllRegions(Regions.of(map, mask, width, height));
        }
    }
}

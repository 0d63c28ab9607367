package ai.dad.service.grpc;

import ai.dad.imaging.ConnectedComponents;
import ai.dad.imaging.FrameLayout;
import ai.dad.imaging.Png;
import ai.dad.proto.v1.Decision;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.RawMap;
import ai.dad.proto.v1.Region;
import ai.dad.proto.v1.Timings;
import ai.dad.proto.v1.Verdict;
import ai.dad.service.model.LoadedModel;
import ai.dad.spi.ModelManifest;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Turns a model result into the caller's verdict: normalised score, threshold and decision,
 * and, when the request's map policy says so for this decision, the map, mask and regions at
 * the frame's original size and the raw map at the model's.
 */
final class VerdictBuilder {
    private static final double DEFAULT_MASK_LEVEL = 0.5;

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
        double level = options.getMaskLevel() > 0 ? options.getMaskLevel() : DEFAULT_MASK_LEVEL;
        boolean[] mask = new boolean[map.length];
        for (int i = 0; i < map.length; i++) {
            mask[i] = map[i] >= level;
        }
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
            addRegions(verdict, map, mask, width, height);
        }
    }

    private static void addRegions(Verdict.Builder verdict, float[] map, boolean[] mask, int width, int height) {
        int[] labels = ConnectedComponents.label8(mask, width, height);
        int count = ConnectedComponents.count(labels);
        int[] minX = new int[count + 1];
        int[] minY = new int[count + 1];
        int[] maxX = new int[count + 1];
        int[] maxY = new int[count + 1];
        long[] area = new long[count + 1];
        double[] sum = new double[count + 1];
        double[] max = new double[count + 1];
        Arrays.fill(minX, Integer.MAX_VALUE);
        Arrays.fill(minY, Integer.MAX_VALUE);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                int r = labels[i];
                if (r == 0) {
                    continue;
                }
                minX[r] = Math.min(minX[r], x);
                minY[r] = Math.min(minY[r], y);
                maxX[r] = Math.max(maxX[r], x);
                maxY[r] = Math.max(maxY[r], y);
                area[r]++;
                sum[r] += map[i];
                max[r] = Math.max(max[r], map[i]);
            }
        }
        for (int r = 1; r <= count; r++) {
            verdict.addRegions(Region.newBuilder()
                    .setX(minX[r]).setY(minY[r])
                    .setWidth(maxX[r] - minX[r] + 1).setHeight(maxY[r] - minY[r] + 1)
                    .setArea(area[r]).setMaxScore(max[r]).setMeanScore(sum[r] / area[r]));
        }
    }
}

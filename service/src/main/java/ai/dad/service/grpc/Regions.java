package ai.dad.service.grpc;

import ai.dad.imaging.ConnectedComponents;
import ai.dad.proto.v1.Region;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The defect regions of an anomaly map: 8-connected areas at or above a level, with their boxes and scores. */
public final class Regions {
    /** The mask level when a request names none. */
    public static final double DEFAULT_LEVEL = 0.5;

    private Regions() {}

    /** The pixels of {@code map} at or above {@code level}. */
    public static boolean[] mask(float[] map, double level) {
        boolean[] mask = new boolean[map.length];
        for (int i = 0; i < map.length; i++) {
            mask[i] = map[i] >= level;
        }
        return mask;
    }

    /** One region per connected area of {@code mask}, scored by {@code map}; both {@code width x height}, row-major. */
    public static List<Region> of(float[] map, boolean[] mask, int width, int height) {
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
        List<Region> regions = new ArrayList<>(count);
        for (int r = 1; r <= count; r++) {
            regions.add(Region.newBuilder()
                    .setX(minX[r]).setY(minY[r])
                    .setWidth(maxX[r] - minX[r] + 1).setHeight(maxY[r] - minY[r] + 1)
                    .setArea(area[r]).setMaxScore(max[r]).setMeanScore(sum[r] / area[r]).build());
        }
        return regions;
    }
}

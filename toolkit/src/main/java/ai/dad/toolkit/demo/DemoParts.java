package ai.dad.toolkit.demo;

import ai.dad.imaging.RgbImage;
import java.util.Random;

/**
 * Synthetic "washers" for the built-in demo: a metallic ring on a brushed dark background,
 * with small random shifts, rotation of the brushing, brightness and sensor noise. Defects are
 * drawn on top with their exact masks: a bright scratch, a dark spot, or a chip cut out of the
 * ring. Everything comes from the {@link Random} given, so a seed reproduces the data set.
 */
public final class DemoParts {
    /** The kinds of defect, also the MVTec-layout folder names. */
    public enum Defect { SCRATCH, SPOT, CHIP }

    private final int size;

    public DemoParts(int size) {
        this.size = size;
    }

    /** An image and its defect mask (all zero for a good part). */
    public record Part(RgbImage image, float[] mask) {}

    public Part good(Random random) {
        return draw(null, random);
    }

    public Part defective(Defect defect, Random random) {
        return draw(defect, random);
    }

    private Part draw(Defect defect, Random random) {
        double cx = size / 2.0 + random.nextGaussian() * size * 0.015;
        double cy = size / 2.0 + random.nextGaussian() * size * 0.015;
        double outer = size * (0.36 + random.nextGaussian() * 0.005);
        double inner = outer * 0.45;
        double brightness = 0.95 + random.nextGaussian() * 0.03;
        double grain = random.nextDouble() * Math.PI;
        int plane = size * size;
        float[] chw = new float[3 * plane];
        float[] mask = new float[plane];
        DefectShape shape = defect == null ? null : DefectShape.random(defect, cx, cy, inner, outer, size, random);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x - cx;
                double dy = y - cy;
                double r = Math.hypot(dx, dy);
                double brushed = 0.03 * Math.sin((x * Math.cos(grain) + y * Math.sin(grain)) * 0.9);
                double value = 0.12 + brushed;
                boolean ring = r >= inner && r <= outer;
                if (ring) {
                    // A soft radial shading makes the ring look turned rather than flat.
                    double t = (r - inner) / (outer - inner);
                    value = brightness * (0.55 + 0.25 * Math.sin(Math.PI * t)) + 0.02 * Math.cos(Math.atan2(dy, dx) * 3);
                }
                double tint = 0;
                if (shape != null && shape.contains(x, y, ring)) {
                    mask[y * size + x] = 1;
                    value = shape.apply(value, ring);
                    tint = defect == Defect.SPOT ? 0.05 : 0;
                }
                value += random.nextGaussian() * 0.01;
                int i = y * size + x;
                chw[i] = clamp(value + tint);
                chw[plane + i] = clamp(value);
                chw[2 * plane + i] = clamp(value * 1.04 - tint);
            }
        }
        return new Part(RgbImage.wrap(size, size, chw), mask);
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }

    /** Where a defect is and what it does to the pixels it covers. */
    private record DefectShape(Defect kind, double ax, double ay, double bx, double by, double radius,
            double cx, double cy, double angle, double halfWidth) {

        static DefectShape random(Defect kind, double cx, double cy, double inner, double outer, int size, Random random) {
            double angle = random.nextDouble() * 2 * Math.PI;
            double mid = (inner + outer) / 2;
            double px = cx + Math.cos(angle) * mid;
            double py = cy + Math.sin(angle) * mid;
            return switch (kind) {
                case SCRATCH -> {
                    double dir = random.nextDouble() * Math.PI;
                    double half = size * (0.08 + 0.05 * random.nextDouble());
                    yield new DefectShape(kind, px - Math.cos(dir) * half, py - Math.sin(dir) * half,
                            px + Math.cos(dir) * half, py + Math.sin(dir) * half, 0, cx, cy, 0, Math.max(1.0, size * 0.012));
                }
                case SPOT -> new DefectShape(kind, px, py, 0, 0, size * (0.03 + 0.02 * random.nextDouble()), cx, cy, 0, 0);
                case CHIP -> new DefectShape(kind, 0, 0, 0, 0, 0, cx, cy, angle, 0.18 + 0.1 * random.nextDouble());
            };
        }

        boolean contains(int x, int y, boolean ring) {
            return switch (kind) {
                case SCRATCH -> distanceToSegment(x, y) <= halfWidth;
                case SPOT -> Math.hypot(x - ax, y - ay) <= radius;
                case CHIP -> ring && Math.abs(wrap(Math.atan2(y - cy, x - cx) - angle)) <= halfWidth;
            };
        }

        double apply(double value, boolean ring) {
            return switch (kind) {
                case SCRATCH -> Math.min(1, value + 0.35);
                case SPOT -> value * 0.35;
                case CHIP -> 0.12;
            };
        }

        private double distanceToSegment(double x, double y) {
            double vx = bx - ax;
            double vy = by - ay;
            double t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
            return Math.hypot(x - (ax + t * vx), y - (ay + t * vy));
        }

        private static double wrap(double a) {
            return Math.atan2(Math.sin(a), Math.cos(a));
        }
    }
}

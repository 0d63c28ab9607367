package ai.dad.toolkit.cli;

import ai.dad.imaging.Png;
import ai.dad.imaging.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A synthetic category of long strips as a line camera sees a moving web: 512 px across the web
 * (the sensor line) by 128 lines along its travel, of a regular woven texture with a 16 px period;
 * the defective ones carry one thin scratch (2-3 px wide, 40-100 px long) running in the direction
 * of travel, as a burr or a grain caught at a roller draws it: across the strip's short side,
 * within 3 degrees of straight (the web wanders a little). The scratch darkens the weave to 40 %
 * rather than blacking it out, so a model pixel that catches less than half of it is darkened by
 * under 30 %, about the weave's own swing (36 % either side of its mean). MVTec's layout, with
 * ground-truth masks.
 */
final class Strips {
    static final int WIDTH = 512;
    static final int HEIGHT = 128;
    private static final double PERIOD = 16;
    private static final double MAX_TILT = Math.toRadians(3);
    private static final float SCRATCH_DEPTH = 0.4f;

    private Strips() {}

    /** train/good ({@code train}), test/good and test/scratch ({@code test} each), ground_truth/scratch. */
    static Path category(Path root, int train, int test, long seed) throws IOException {
        Random random = new Random(seed);
        Files.createDirectories(root.resolve("train/good"));
        Files.createDirectories(root.resolve("test/good"));
        Files.createDirectories(root.resolve("test/scratch"));
        Files.createDirectories(root.resolve("ground_truth/scratch"));
        for (int i = 0; i < train; i++) {
            Png.write(strip(random, null), root.resolve(String.format("train/good/%03d.png", i)));
        }
        for (int i = 0; i < test; i++) {
            Png.write(strip(random, null), root.resolve(String.format("test/good/%03d.png", i)));
            float[] mask = new float[WIDTH * HEIGHT];
            Png.write(strip(random, mask), root.resolve(String.format("test/scratch/%03d.png", i)));
            Png.writeGray(mask, WIDTH, HEIGHT, root.resolve(String.format("ground_truth/scratch/%03d_mask.png", i)));
        }
        return root;
    }

    /** One strip; with a {@code mask} array, a scratch is drawn and marked in it. */
    private static RgbImage strip(Random random, float[] mask) {
        float[] chw = new float[3 * WIDTH * HEIGHT];
        // The web's position under the camera varies, so the weave's phase does.
        double phaseX = random.nextDouble() * PERIOD;
        double phaseY = random.nextDouble() * PERIOD;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                double weave = Math.sin(2 * Math.PI * (x + phaseX) / PERIOD) * Math.sin(2 * Math.PI * (y + phaseY) / PERIOD);
                double v = 0.55 + 0.2 * weave + 0.02 * random.nextGaussian();
                chw[y * WIDTH + x] = (float) v;
                chw[(HEIGHT + y) * WIDTH + x] = (float) (v * 0.9);
                chw[(2 * HEIGHT + y) * WIDTH + x] = (float) (v * 0.7);
            }
        }
        if (mask != null) {
            double length = 40 + random.nextInt(61);
            double angle = Math.PI / 2 + (2 * random.nextDouble() - 1) * MAX_TILT;
            double cx = 50 + random.nextInt(WIDTH - 100);
            double cy = 30 + random.nextInt(HEIGHT - 60);
            double half = (2 + random.nextInt(2)) / 2.0;
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    double dx = x - cx;
                    double dy = y - cy;
                    double along = dx * Math.cos(angle) + dy * Math.sin(angle);
                    double across = -dx * Math.sin(angle) + dy * Math.cos(angle);
                    if (Math.abs(along) <= length / 2 && Math.abs(across) <= half) {
                        mask[y * WIDTH + x] = 1;
                        for (int c = 0; c < 3; c++) {
                            chw[(c * HEIGHT + y) * WIDTH + x] *= SCRATCH_DEPTH;
                        }
                    }
                }
            }
        }
        for (int i = 0; i < chw.length; i++) {
            chw[i] = Math.min(1, Math.max(0, chw[i]));
        }
        return RgbImage.wrap(WIDTH, HEIGHT, chw);
    }
}

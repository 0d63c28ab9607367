package ai.dad.service.page;

import ai.dad.imaging.Heatmap;
import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.Region;
import ai.dad.service.grpc.Regions;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A small JPEG of an NG frame for the operator page: the frame as the model saw it with the
 * heatmap blended on top and a box around every defect region, at the original frame's aspect
 * ratio and at most {@link #LONGEST} pixels on its longest side.
 */
final class Thumbnail {
    static final int LONGEST = 160;

    private Thumbnail() {}

    /**
     * @param frame the frame as the map covers it (model size for a stretched frame)
     * @param map the anomaly map, the same size as {@code frame}
     * @param frameWidth the original frame's width, for the aspect ratio
     * @param frameHeight its height
     */
    static byte[] render(RgbImage frame, float[] map, int frameWidth, int frameHeight) throws IOException {
        int mapWidth = frame.width();
        int mapHeight = frame.height();
        List<Region> regions = Regions.of(map, Regions.mask(map, Regions.DEFAULT_LEVEL), mapWidth, mapHeight);
        double scale = (double) LONGEST / Math.max(frameWidth, frameHeight);
        int width = Math.max(1, (int) Math.round(frameWidth * scale));
        int height = Math.max(1, (int) Math.round(frameHeight * scale));
        BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = picture.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(Heatmap.overlay(frame, map).toBufferedImage(), 0, 0, width, height, null);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1.5f));
            double sx = (double) width / mapWidth;
            double sy = (double) height / mapHeight;
            for (Region r : regions) {
                int x0 = (int) Math.floor(r.getX() * sx);
                int y0 = (int) Math.floor(r.getY() * sy);
                int x1 = (int) Math.ceil((r.getX() + r.getWidth()) * sx);
                int y1 = (int) Math.ceil((r.getY() + r.getHeight()) * sy);
                g.drawRect(x0, y0, Math.max(1, x1 - x0 - 1), Math.max(1, y1 - y0 - 1));
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        if (!ImageIO.write(picture, "jpg", jpeg)) {
            throw new IOException("no JPEG writer in this JVM");
        }
        return jpeg.toByteArray();
    }
}

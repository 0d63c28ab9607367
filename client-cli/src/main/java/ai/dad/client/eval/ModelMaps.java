package ai.dad.client.eval;

import ai.dad.imaging.Bilinear;
import ai.dad.imaging.RgbImage;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/**
 * Maps and masks at the model's resolution, where {@code dad eval} computes its pixel metrics.
 *
 * <p>The service returns the anomaly map as an 8-bit grey PNG at the frame's original size,
 * upsampled bilinearly from the model's float map. {@link #fromServicePng} does not resize it
 * back (a second bilinear resize blurs the map and moves pixel AUROC and AUPRO by points); it
 * undoes the upsampling exactly ({@link Unresize}, least squares), so what is left is the PNG's
 * rounding to 1/255, which moves the pixel metrics by hundredths of a point. Image scores are the
 * service's own, so image AUROC is identical to {@code dad eval}'s. Frames smaller than the model
 * on an axis cannot be undone that way and are resized bilinearly (less exact).
 */
public final class ModelMaps {

    private ModelMaps() {}

    /** The service's map PNG as a {@code size x size} row-major float map in [0, 1]. */
    public static float[] fromServicePng(byte[] png, int size) throws IOException {
        if (png == null || png.length == 0) {
            throw new IOException("the service returned no map");
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        if (image == null) {
            throw new IOException("the service's map is not a PNG");
        }
        RgbImage rgb = RgbImage.fromBufferedImage(image);
        int w = rgb.width();
        int h = rgb.height();
        float[] grey = java.util.Arrays.copyOf(rgb.buffer(), w * h);
        if (w == size && h == size) {
            return grey;
        }
        float[] model = Unresize.toModel(grey, w, h, size);
        return model != null ? model : Bilinear.resize(grey, 1, w, h, size, size);
    }
}

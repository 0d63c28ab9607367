package ai.dad.client.eval;

import ai.dad.imaging.FrameLayout;
import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.RawMap;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Maps at the model's resolution, where {@code dad eval} computes its pixel metrics. The service
 * sends them as float32 values ({@code return_raw_map}), so the metrics see the very map the
 * model computed: no PNG quantisation, no resampling there and back.
 */
public final class ModelMaps {

    private ModelMaps() {}

    /**
     * The verdict's raw map, {@code raw.width x raw.height} row-major values in [0, 1]: the model's
     * map, or for a model that tiles frames the stitched grid ({@code ai.dad.imaging.FrameLayout}).
     */
    public static float[] fromRawMap(RawMap raw) throws IOException {
        if (raw.getWidth() == 0) {
            throw new IOException("the service returned no raw map (a service older than return_raw_map?)");
        }
        long values = (long) raw.getWidth() * raw.getHeight();
        if (raw.getData().size() != 4 * values) {
            throw new IOException("the raw map has " + raw.getData().size() + " bytes, not " + 4 * values
                    + " for " + raw.getWidth() + " x " + raw.getHeight());
        }
        float[] map = new float[(int) values];
        raw.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(map);
        return map;
    }

    /**
     * A ground-truth mask (a file of the frame's size, as MVTec draws them) on the raw map's grid:
     * cut to the frame rectangle the map covers and resized, by the code {@code dad eval} uses.
     */
    public static float[] maskOnRawMap(Path mask, RawMap raw) throws IOException {
        RgbImage frameSized = RgbImage.read(mask);
        FrameLayout.Rect region = new FrameLayout.Rect(raw.getFrameX(), raw.getFrameY(), raw.getFrameWidth(), raw.getFrameHeight());
        return FrameLayout.maskOnGrid(frameSized, frameSized.width(), frameSized.height(), region, raw.getWidth(), raw.getHeight());
    }
}

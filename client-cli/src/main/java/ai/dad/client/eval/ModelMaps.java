package ai.dad.client.eval;

import ai.dad.proto.v1.RawMap;
import java.io.IOException;
import java.nio.ByteOrder;

/**
 * Maps at the model's resolution, where {@code dad eval} computes its pixel metrics. The service
 * sends them as float32 values ({@code return_raw_map}), so the metrics see the very map the
 * model computed: no PNG quantisation, no resampling there and back.
 */
public final class ModelMaps {

    private ModelMaps() {}

    /** The verdict's raw map as a {@code size x size} row-major float map in [0, 1]. */
    public static float[] fromRawMap(RawMap raw, int size) throws IOException {
        if (raw.getWidth() == 0) {
            throw new IOException("the service returned no raw map (a service older than return_raw_map?)");
        }
        if (raw.getWidth() != size || raw.getHeight() != size) {
            throw new IOException("the raw map is " + raw.getWidth() + " x " + raw.getHeight()
                    + ", not the model's " + size + " x " + size);
        }
        if (raw.getData().size() != 4L * size * size) {
            throw new IOException("the raw map has " + raw.getData().size() + " bytes, not " + 4L * size * size);
        }
        float[] map = new float[size * size];
        raw.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(map);
        return map;
    }
}

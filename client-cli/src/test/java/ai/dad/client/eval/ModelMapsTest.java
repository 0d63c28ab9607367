package ai.dad.client.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.proto.v1.RawMap;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class ModelMapsTest {

    @Test
    void rawMapsComeBackExactly() throws IOException {
        float[] map = {0f, 0.25f, 0.5f, 1f};
        assertArrayEquals(map, ModelMaps.fromRawMap(raw(map, 2, 2)));
    }

    @Test
    void aMissingOrMisshapenRawMapIsNamed() {
        IOException none = assertThrows(IOException.class, () -> ModelMaps.fromRawMap(RawMap.getDefaultInstance()));
        assertTrue(none.getMessage().contains("no raw map"), none.getMessage());
        IOException bytes = assertThrows(IOException.class, () -> ModelMaps.fromRawMap(raw(new float[3], 2, 2)));
        assertTrue(bytes.getMessage().contains("12 bytes"), bytes.getMessage());
    }

    private static RawMap raw(float[] values, int width, int height) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return RawMap.newBuilder().setWidth(width).setHeight(height).setData(ByteString.copyFrom(bytes)).build();
    }
}

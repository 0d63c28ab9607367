package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.imaging.Png;
import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.RawMap;
import ai.dad.proto.v1.Verdict;
import ai.dad.spi.ModelManifest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * A model whose manifest tiles frames (the demo model's weights with a preprocess section): a
 * long frame is cut into tiles, batched, stitched back and answered at the frame's size.
 */
@QuarkusTest
@TestProfile(TiledFramesTest.TiledModel.class)
class TiledFramesTest {

    public static class TiledModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Path model = Path.of("target/tiled-models/strip");
            ModelFolders.copyDemo(model);
            try {
                ModelManifest manifest = ModelManifest.read(model);
                manifest.preprocess.fit = "tiles";
                manifest.preprocess.tile = 128;
                manifest.preprocess.overlap = 32;
                manifest.preprocess.frameSize = List.of(256, 128);
                manifest.write(model);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("dad.models.dir", model.getParent().toString());
        }
    }

    @Test
    void aLongFrameIsTiledStitchedAndAnsweredAtItsSize() throws Exception {
        try (GrpcTestClient client = new GrpcTestClient()) {
            client.awaitServing();
            Verdict v = client.blocking().inspect(Frames.withOptions(Frames.request("strip", frame(256, 128)),
                    Options.newBuilder().setReturnMap(true).setReturnRawMap(true).build()));
            assertEquals(3, v.getTimings().getTiles(), "tiles at x 0, 96 and 128");
            var map = ImageIO.read(new ByteArrayInputStream(v.getMapPng().toByteArray()));
            assertEquals(256, map.getWidth());
            assertEquals(128, map.getHeight());
            RawMap raw = v.getRawMap();
            assertEquals(128, raw.getWidth(), "the grid at the model's density: 256 px * 64 / 128");
            assertEquals(64, raw.getHeight());
            assertEquals(256, raw.getFrameWidth());
            assertTrue(v.getScore() >= 0 && v.getScore() <= 1);

            Verdict twice = client.blocking().inspect(Frames.withOptions(Frames.request("big", frame(512, 256)),
                    Options.newBuilder().setReturnMap(true).build()));
            assertEquals(3, twice.getTimings().getTiles(), "the same aspect ratio is rescaled to the trained size");
            assertEquals(512, ImageIO.read(new ByteArrayInputStream(twice.getMapPng().toByteArray())).getWidth());

            StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                    () -> client.blocking().inspect(Frames.request("square", frame(100, 100))));
            assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
            assertTrue(e.getStatus().getDescription().contains("trained on 256x128"), e.getStatus().getDescription());
        }
    }

    private static byte[] frame(int width, int height) throws IOException {
        float[] chw = new float[3 * width * height];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = 0.3f + 0.4f * (i % width) / width;
        }
        return Png.encode(RgbImage.wrap(width, height, chw));
    }
}

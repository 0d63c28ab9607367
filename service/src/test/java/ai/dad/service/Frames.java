package ai.dad.service;

import ai.dad.imaging.Png;
import ai.dad.imaging.RgbImage;
import ai.dad.imaging.TestImages;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.Options;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Request builders for the service tests. */
final class Frames {
    private Frames() {}

    /** A PNG of a checkerboard whose cell size varies with {@code k}, so frames differ. */
    static byte[] png(int k, int size) {
        try {
            RgbImage image = k % 2 == 0 ? TestImages.checkerboard(size, 4 + k % 7) : TestImages.gradient(size);
            return Png.encode(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InspectRequest request(String frameId, byte[] image) {
        return InspectRequest.newBuilder().setFrameId(frameId).setImage(ByteString.copyFrom(image)).build();
    }

    static InspectRequest withOptions(InspectRequest request, Options options) {
        return request.toBuilder().setOptions(options).build();
    }
}

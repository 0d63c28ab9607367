package ai.dad.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.Options;
import ai.dad.proto.v1.RawImage;
import ai.dad.proto.v1.Verdict;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad and unusual input through gRPC against the running service: each case gets the right
 * status and a message naming the problem, or is decoded correctly; the service stays SERVING.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private GrpcTestClient client;

    @BeforeAll
    void connect() throws InterruptedException {
        client = new GrpcTestClient();
        client.awaitServing();
    }

    @AfterAll
    void after() throws InterruptedException {
        assertEquals(ServingStatus.SERVING, client.health(""), "still serving after every bad input");
        assertFalse(client.blocking().inspect(Frames.request("after", Frames.png(1, 32))).hasError());
        client.close();
    }

    static Stream<Arguments> refused() throws IOException {
        byte[] png = Frames.png(2, 64);
        byte[] jpeg = encode(rgb(64, 64), "jpg");
        return Stream.of(
                Arguments.of("empty bytes", request(new byte[0]), Status.Code.INVALID_ARGUMENT, "image is empty"),
                Arguments.of("random bytes", request(random(4096)), Status.Code.INVALID_ARGUMENT, "not a PNG, JPEG or BMP"),
                Arguments.of("truncated PNG", request(Arrays.copyOf(png, png.length / 3)), Status.Code.INVALID_ARGUMENT, "cannot decode PNG"),
                Arguments.of("truncated JPEG", request(Arrays.copyOf(jpeg, 200)), Status.Code.INVALID_ARGUMENT, "cannot decode JPEG"),
                Arguments.of("PNG header claiming 100000x100000", request(pngHeader(100_000, 100_000)), Status.Code.INVALID_ARGUMENT,
                        "above the limit"),
                Arguments.of("CMYK JPEG", request(resource("frames/cmyk.jpg")), Status.Code.INVALID_ARGUMENT, "CMYK images are not supported"),
                Arguments.of("TIFF (ImageIO reads it, the service does not)", request(encode(rgb(20, 20), "tiff")),
                        Status.Code.INVALID_ARGUMENT, "tif is not supported"),
                Arguments.of("GIF", request(encode(rgb(20, 20), "gif")), Status.Code.INVALID_ARGUMENT, "gif is not supported"),
                Arguments.of("BMP with an embedded JPEG claiming 2 GB (fuzzing finding)",
                        request(resource("ai/dad/service/frame/FrameDecoderFuzzTestInputs/decodeBytes/crash-bmp-embedded-jpeg-claiming-2gb")),
                        Status.Code.INVALID_ARGUMENT, "embedded JPEG"),
                Arguments.of("raw buffer too short", raw(4, 4, 3, 47), Status.Code.INVALID_ARGUMENT, "raw image data has 47 bytes"),
                Arguments.of("raw buffer too long", raw(4, 4, 1, 17), Status.Code.INVALID_ARGUMENT, "needs 16"),
                Arguments.of("raw with 2 channels", raw(4, 4, 2, 32), Status.Code.INVALID_ARGUMENT, "2 channels"),
                Arguments.of("raw of zero width", raw(0, 4, 3, 0), Status.Code.INVALID_ARGUMENT, "must be positive"),
                Arguments.of("raw claiming 100000x100000", raw(100_000, 100_000, 3, 3), Status.Code.INVALID_ARGUMENT, "above the limit"),
                Arguments.of("unknown model", request(png).toBuilder().setModel("no-such-product").build(), Status.Code.NOT_FOUND,
                        "unknown model 'no-such-product'"),
                Arguments.of("model id trying to leave the models dir", request(png).toBuilder().setModel("../../etc").build(),
                        Status.Code.NOT_FOUND, "unknown model"),
                Arguments.of("frame_id of 10 KB", request(png).toBuilder().setFrameId("f".repeat(10_240)).build(),
                        Status.Code.INVALID_ARGUMENT, "frame_id is 10240 bytes"),
                Arguments.of("NaN threshold", options(png, Options.newBuilder().setThresholdOverride(Double.NaN)),
                        Status.Code.INVALID_ARGUMENT, "threshold_override"),
                Arguments.of("negative threshold", options(png, Options.newBuilder().setThresholdOverride(-0.5)),
                        Status.Code.INVALID_ARGUMENT, "threshold_override"),
                Arguments.of("infinite threshold", options(png, Options.newBuilder().setThresholdOverride(Double.POSITIVE_INFINITY)),
                        Status.Code.INVALID_ARGUMENT, "threshold_override"),
                Arguments.of("mask level above 1", options(png, Options.newBuilder().setMaskLevel(1.5)),
                        Status.Code.INVALID_ARGUMENT, "mask_level"),
                Arguments.of("no frame at all", InspectRequest.newBuilder().setFrameId("x").build(), Status.Code.INVALID_ARGUMENT, "no frame"),
                Arguments.of("message above the size limit", request(new byte[34 * 1024 * 1024]), Status.Code.RESOURCE_EXHAUSTED, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedClearly(String name, InspectRequest request, Status.Code code, String message) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.blocking().inspect(request));
        assertEquals(code, e.getStatus().getCode(), name + ": " + e.getStatus());
        assertTrue(String.valueOf(e.getStatus().getDescription()).contains(message), name + ": " + e.getStatus());
    }

    static Stream<Arguments> accepted() throws IOException {
        return Stream.of(
                Arguments.of("16-bit grey PNG", request(encode(new BufferedImage(40, 30, BufferedImage.TYPE_USHORT_GRAY), "png"))),
                Arguments.of("8-bit grey PNG", request(encode(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_GRAY), "png"))),
                Arguments.of("palette PNG", request(encode(new BufferedImage(40, 30, BufferedImage.TYPE_BYTE_INDEXED), "png"))),
                Arguments.of("RGBA PNG", request(encode(new BufferedImage(40, 30, BufferedImage.TYPE_INT_ARGB), "png"))),
                Arguments.of("JPEG", request(encode(rgb(50, 50), "jpg"))),
                Arguments.of("BMP", request(encode(rgb(50, 50), "bmp"))),
                Arguments.of("1x1 image", request(encode(rgb(1, 1), "png"))),
                Arguments.of("raw grey", raw(8, 8, 1, 64)),
                Arguments.of("raw RGBA", raw(8, 8, 4, 256)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void decodedCorrectly(String name, InspectRequest request) {
        Verdict v = client.blocking().inspect(request);
        assertFalse(v.hasError(), name);
        assertTrue(v.getScore() >= 0 && v.getScore() <= 1, name + ": " + v.getScore());
    }

    @Test
    void greyAndRgbOfTheSameContentScoreTheSame() throws IOException {
        BufferedImage grey = new BufferedImage(48, 48, BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage rgb = new BufferedImage(48, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 48; x++) {
                int v = (x * 5 + y * 3) & 0xFF;
                grey.getRaster().setSample(x, y, 0, v);
                rgb.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        double a = client.blocking().inspect(request(encode(grey, "png"))).getScore();
        double b = client.blocking().inspect(request(encode(rgb, "png"))).getScore();
        assertEquals(a, b, 1e-6);
    }

    private static InspectRequest request(byte[] bytes) {
        return Frames.request("frame", bytes);
    }

    private static InspectRequest options(byte[] png, Options.Builder options) {
        return Frames.withOptions(request(png), options.build());
    }

    private static InspectRequest raw(int width, int height, int channels, int bytes) {
        return InspectRequest.newBuilder().setFrameId("raw").setRaw(RawImage.newBuilder().setWidth(width).setHeight(height)
                .setChannels(channels).setData(ByteString.copyFrom(random(bytes)))).build();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }

    private static BufferedImage rgb(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, (x * 7) << 16 | (y * 5) << 8 | 90);
            }
        }
        return image;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(image, format, out), "writer for " + format);
        return out.toByteArray();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BadInputTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    /** A valid PNG signature and IHDR chunk declaring the given size, and no pixel data. */
    private static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4 + 12)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})
                .putInt(13).put(ihdr.array()).putInt((int) crc.getValue())
                .putInt(0).put("IEND".getBytes()).putInt(0xAE426082).array();
    }
}

package ai.dad.service.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.imaging.RgbImage;
import ai.dad.proto.v1.InspectRequest;
import ai.dad.proto.v1.RawImage;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzz targets (Jazzer) for what the service does with a caller's bytes before
 * the model sees them: parsing the request, decoding the image or converting raw pixels. The
 * property: any input either gives an image within the pixel limit or is refused with
 * {@link InvalidFrameException}; never another exception, never an {@link OutOfMemoryError}.
 *
 * <p>In the normal build ({@code mvn verify}) these run in regression mode: once for each file in
 * {@code src/test/resources/ai/dad/service/frame/FrameDecoderFuzzTestInputs/<method>/} (the seeds
 * and every finding so far), which takes a second. To fuzz, one target at a time:
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -B -o test -pl service -Dtest='FrameDecoderFuzzTest#decodeBytes' \
 *     -Djazzer.max_duration=10m -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>(see docs/RELIABILITY.md). New coverage goes to {@code service/.cifuzz-corpus/}, findings to
 * the inputs folder above, where they become regression cases.
 */
class FrameDecoderFuzzTest {
    /** Small, so that the limit is reached by fuzzed headers and decoding stays fast. */
    static final long MAX_PIXELS = 1 << 16;

    private static final FrameDecoder DECODER = new FrameDecoder(MAX_PIXELS);

    /** Encoded image bytes, as in {@code InspectRequest.image}. */
    @FuzzTest(maxDuration = "60s")
    void decodeBytes(byte[] bytes) {
        try {
            check(DECODER.decode(bytes));
        } catch (InvalidFrameException refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
        }
    }

    /** Raw pixels with fuzzed width, height, channels and buffer. */
    @FuzzTest(maxDuration = "60s")
    void decodeRaw(FuzzedDataProvider data) {
        RawImage raw = RawImage.newBuilder()
                .setWidth(data.consumeInt())
                .setHeight(data.consumeInt())
                .setChannels(data.consumeInt(-1, 6))
                .setData(ByteString.copyFrom(data.consumeRemainingAsBytes()))
                .build();
        try {
            RgbImage image = DECODER.decode(raw);
            check(image);
            assertEquals(raw.getWidth(), image.width());
            assertEquals(raw.getHeight(), image.height());
        } catch (InvalidFrameException refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
        }
    }

    /** A whole request message as it arrives over gRPC, then whichever frame it carries. */
    @FuzzTest(maxDuration = "60s")
    void decodeRequest(byte[] message) {
        InspectRequest request;
        try {
            request = InspectRequest.parseFrom(message);
        } catch (InvalidProtocolBufferException notAMessage) {
            return; // gRPC refuses it before the service sees it
        }
        try {
            switch (request.getFrameCase()) {
                case RAW -> check(DECODER.decode(request.getRaw()));
                case IMAGE -> check(DECODER.decode(request.getImage().toByteArray()));
                default -> { }
            }
        } catch (InvalidFrameException refused) {
            assertTrue(refused.getMessage() != null && !refused.getMessage().isBlank());
        }
    }

    /**
     * The first finding (an 81-byte BMP with an embedded JPEG whose header claims 2 GB, which
     * ImageIO allocated at once) is refused from its header, whatever the heap.
     */
    @Test
    void bmpWithAnEmbeddedImageIsRefusedBeforeAnyAllocation() throws IOException {
        byte[] finding;
        try (InputStream in = getClass().getResourceAsStream("FrameDecoderFuzzTestInputs/decodeBytes/crash-bmp-embedded-jpeg-claiming-2gb")) {
            finding = in.readAllBytes();
        }
        InvalidFrameException e = assertThrows(InvalidFrameException.class, () -> DECODER.decode(finding));
        assertTrue(e.getMessage().contains("embedded JPEG"), e.getMessage());
    }

    private static void check(RgbImage image) {
        long pixels = (long) image.width() * image.height();
        assertTrue(image.width() > 0 && image.height() > 0 && pixels <= MAX_PIXELS,
                "decoded " + image.width() + "x" + image.height() + " past the limit of " + MAX_PIXELS + " pixels");
    }
}

package ai.dad.toolkit.synth;

import ai.dad.imaging.TestImages;
import ai.dad.imaging.RgbImage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SynthWriterTest {

    @Test
    void writesImageAndBinaryMaskAs8BitPng() throws IOException {
        RgbImage input = TestImages.gradient(64);
        AnomalySynthesizer synth = new AnomalySynthesizer(List.of(), true);
        Random random = new Random(1);
        Sample sample;
        do {
            sample = synth.synthesize(input, random);
        } while (!sample.anomalous());

        Path dir = TestImages.scratchDir().resolve("nested");
        Path imageFile = dir.resolve("0000.png");
        Path maskFile = dir.resolve("0000_mask.png");
        SynthWriter.write(sample, imageFile, maskFile);

        RgbImage back = RgbImage.read(imageFile);
        float[] a = sample.image().toArray();
        float[] b = back.toArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 0.5f / 255 + 1e-6f);
        }

        BufferedImage mask = ImageIO.read(maskFile.toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, mask.getType());
        int ones = 0;
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                int v = mask.getRaster().getSample(x, y, 0);
                assertTrue(v == 0 || v == 255);
                assertEquals(sample.mask()[y * 64 + x] == 1f, v == 255);
                ones += v == 255 ? 1 : 0;
            }
        }
        assertTrue(ones > 0);
    }
}

package ai.dad.toolkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.toolkit.synth.AnomalySynthesizer;
import ai.dad.imaging.RgbImage;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchMakerTest {

    private static RgbImage noise(int size, long seed) {
        Random random = new Random(seed);
        float[] d = new float[3 * size * size];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextFloat();
        }
        return RgbImage.of(size, size, d);
    }

    @Test
    void cropsAreWindowsOfTheSynthesisedImageAndCleanWhereTheyMissTheDefect() {
        List<RgbImage> images = List.of(noise(64, 1), noise(64, 2));
        BatchMaker maker = new BatchMaker(images, null, new AnomalySynthesizer(List.of(), true), 8, 32, 300, 1000, 5);
        int anomalous = 0;
        int clean = 0;
        for (int step = 0; step < 6; step++) {
            Batch batch = maker.make(step);
            assertEquals(32, batch.imageSize());
            assertEquals(8 * 3 * 32 * 32, batch.images().length);
            assertEquals(8 * 3 * 32 * 32, batch.noiseSmall().length);
            for (int i = 0; i < 8; i++) {
                boolean any = false;
                for (int p = 0; p < 32 * 32; p++) {
                    any |= batch.masks()[i * 32 * 32 + p] != 0f;
                }
                // The noise loss is averaged over clean samples: a crop without defect pixels is one.
                assertEquals(any ? 0f : 1f, batch.clean()[i]);
                anomalous += any ? 1 : 0;
                clean += any ? 0 : 1;
            }
        }
        assertTrue(anomalous > 5 && clean > 5, anomalous + " anomalous and " + clean + " clean crops");
    }

    @Test
    void aCleanCropIsExactlyAWindowOfAGoodImage() {
        List<RgbImage> images = List.of(noise(64, 3));
        BatchMaker maker = new BatchMaker(images, null, new AnomalySynthesizer(List.of(), true), 4, 32, 300, 1000, 9);
        Batch batch = maker.make(0);
        float[] source = images.get(0).toArray();
        for (int i = 0; i < 4; i++) {
            if (batch.clean()[i] == 1f) {
                float first = batch.images()[i * 3 * 32 * 32];
                boolean found = false;
                for (int top = 0; top <= 32 && !found; top++) {
                    for (int left = 0; left <= 32 && !found; left++) {
                        float[] window = new float[32];
                        float[] crop = new float[32];
                        if (source[top * 64 + left] != first) {
                            continue;
                        }
                        System.arraycopy(source, (top + 5) * 64 + left, window, 0, 32);
                        System.arraycopy(batch.images(), i * 3 * 32 * 32 + 5 * 32, crop, 0, 32);
                        found = Arrays.equals(window, crop);
                    }
                }
                assertTrue(found, "sample " + i + " is a window of the good image");
            }
        }
    }

    @Test
    void aCropLargerThanTheImagesIsRefused() {
        List<RgbImage> images = List.of(noise(32, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BatchMaker(images, null, new AnomalySynthesizer(List.of(), true), 2, 64, 300, 1000, 0));
        assertEquals("a crop of 64 px does not fit 32 px images", e.getMessage());
    }

    @Test
    void withoutACropTheBatchIsTheWholeImage() {
        List<RgbImage> images = List.of(noise(32, 4));
        Batch batch = new BatchMaker(images, null, new AnomalySynthesizer(List.of(), true), 2, 300, 1000, 0).make(0);
        assertEquals(32, batch.imageSize());
        if (batch.clean()[0] == 1f) {
            float[] first = Arrays.copyOf(batch.images(), 3 * 32 * 32);
            assertArrayEquals(images.get(0).toArray(), first);
        }
    }
}

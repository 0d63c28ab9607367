package ai.dad.toolkit.synth;

import ai.dad.imaging.TestImages;
import ai.dad.imaging.RgbImage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnomalySynthesizerTest {

    private static final int SIZE = 64;
    private static List<Path> textures;

    @BeforeAll
    static void writeTextures() throws IOException {
        Path dir = TestImages.scratchDir();
        Path board = dir.resolve("board.png");
        Path ramp = dir.resolve("ramp.jpg");
        // Sizes differ from the model size so the resizing is exercised.
        ImageIO.write(TestImages.checkerboard(96, 12).toBufferedImage(), "png", board.toFile());
        ImageIO.write(TestImages.gradient(40).toBufferedImage(), "jpg", ramp.toFile());
        textures = List.of(board, ramp);
    }

    private static int maskSum(float[] mask) {
        int n = 0;
        for (float v : mask) {
            n += (int) v;
        }
        return n;
    }

    /** Checks the invariants every sample must satisfy and returns whether it is anomalous. */
    private static boolean checkSample(RgbImage input, Sample s) {
        assertEquals(SIZE * SIZE, s.mask().length);
        for (float v : s.mask()) {
            assertTrue(v == 0f || v == 1f, "mask value " + v);
        }
        int plane = SIZE * SIZE;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float out = s.image().buffer()[c * plane + i];
                assertTrue(out >= 0f && out <= 1f);
                if (s.mask()[i] == 0f) {
                    assertEquals(input.buffer()[c * plane + i], out, "pixel outside the mask changed");
                }
            }
        }
        if (!s.anomalous()) {
            assertEquals(0, maskSum(s.mask()));
            assertEquals(input, s.image());
        } else {
            assertTrue(maskSum(s.mask()) > 0);
        }
        return s.anomalous();
    }

    @Test
    void samplesAreValidAndAboutHalfAreAnomalous() throws IOException {
        RgbImage input = TestImages.gradient(SIZE);
        for (boolean isObject : new boolean[] {true, false}) {
            AnomalySynthesizer synth = new AnomalySynthesizer(textures, isObject);
            Random random = new Random(isObject ? 1 : 2);
            int anomalous = 0;
            boolean changedInsideMask = false;
            for (int k = 0; k < 200; k++) {
                Sample s = synth.synthesize(input, random);
                if (checkSample(input, s)) {
                    anomalous++;
                    changedInsideMask |= !s.image().equals(input);
                }
            }
            assertTrue(anomalous >= 70 && anomalous <= 130, anomalous + " of 200 anomalous");
            assertTrue(changedInsideMask);
        }
    }

    @Test
    void cleanSamplesAreUntouched() throws IOException {
        RgbImage input = TestImages.checkerboard(SIZE, 8);
        AnomalySynthesizer synth = new AnomalySynthesizer(textures, true);
        Random random = new Random(3);
        int clean = 0;
        for (int k = 0; k < 40; k++) {
            Sample s = synth.synthesize(input, random);
            if (!s.anomalous()) {
                clean++;
                assertSame(input, s.image());
                assertEquals(0, maskSum(s.mask()));
            }
        }
        assertTrue(clean > 0);
    }

    @Test
    void sameSeedGivesTheSameSamplesAndAnotherSeedDoesNot() throws IOException {
        RgbImage input = TestImages.gradient(SIZE);
        AnomalySynthesizer synth = new AnomalySynthesizer(textures, true);
        List<Sample> a = run(synth, input, 42);
        List<Sample> b = run(synth, input, 42);
        List<Sample> c = run(synth, input, 43);
        boolean differs = false;
        for (int k = 0; k < a.size(); k++) {
            assertEquals(a.get(k).anomalous(), b.get(k).anomalous());
            assertEquals(a.get(k).image(), b.get(k).image());
            assertArrayEquals(a.get(k).mask(), b.get(k).mask());
            differs |= !a.get(k).image().equals(c.get(k).image());
        }
        assertTrue(differs, "seeds 42 and 43 gave the same samples");
    }

    private static List<Sample> run(AnomalySynthesizer synth, RgbImage input, long seed) throws IOException {
        Random random = new Random(seed);
        List<Sample> out = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            out.add(synth.synthesize(input, random));
        }
        return out;
    }

    @Test
    void foregroundMaskRestrictsTheAnomaly() throws IOException {
        RgbImage input = TestImages.gradient(SIZE);
        float[] leftHalf = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE / 2; x++) {
                leftHalf[y * SIZE + x] = 1f;
            }
        }
        // A given mask wins over random regions too.
        for (boolean randomRegions : new boolean[] {false, true}) {
            AnomalySynthesizer synth = new AnomalySynthesizer(textures, false, randomRegions);
            Random random = new Random(5);
            int anomalous = 0;
            for (int k = 0; k < 60; k++) {
                Sample s = synth.synthesize(input, leftHalf, random);
                if (checkSample(input, s)) {
                    anomalous++;
                    assertSame(leftHalf, s.foreground(), "the sample names the foreground used");
                }
                assertInside(s.mask(), leftHalf);
            }
            assertTrue(anomalous > 0);
        }

        AnomalySynthesizer synth = new AnomalySynthesizer(textures, false);
        Random random = new Random(6);
        float[] none = new float[SIZE * SIZE];
        for (int k = 0; k < 10; k++) {
            Sample s = synth.synthesize(input, none, random);
            assertFalse(s.anomalous(), "an empty foreground allows no anomaly");
            assertSame(input, s.image());
        }
    }

    private static void assertInside(float[] mask, float[] foreground) {
        for (int i = 0; i < foreground.length; i++) {
            if (foreground[i] == 0f) {
                assertEquals(0f, mask[i], "mask outside the foreground");
            }
        }
    }

    @Test
    void randomRegionsConfineEachAnomalyToAFreshRegion() throws IOException {
        RgbImage input = TestImages.gradient(SIZE);
        AnomalySynthesizer synth = new AnomalySynthesizer(textures, false, true);
        Random random = new Random(7);
        List<float[]> regions = new ArrayList<>();
        for (int k = 0; k < 60; k++) {
            Sample s = synth.synthesize(input, null, random);
            if (checkSample(input, s)) {
                assertNotNull(s.foreground(), "an anomaly names its random region");
                assertInside(s.mask(), s.foreground());
                regions.add(s.foreground());
            } else {
                assertNull(s.foreground());
            }
        }
        assertTrue(regions.size() > 10, regions.size() + " anomalous");
        assertFalse(Arrays.equals(regions.get(0), regions.get(1)), "a region per sample");

        Sample plain = new AnomalySynthesizer(textures, false).synthesize(input, null, new Random(1));
        assertNull(plain.foreground(), "without random regions the whole image is allowed");
    }

    @Test
    void worksWithoutTexturesUsingTheShuffledImage() throws IOException {
        RgbImage input = TestImages.checkerboard(SIZE, 4);
        AnomalySynthesizer synth = new AnomalySynthesizer(List.of(), false);
        Random random = new Random(8);
        int anomalous = 0;
        for (int k = 0; k < 20; k++) {
            if (checkSample(input, synth.synthesize(input, random))) {
                anomalous++;
            }
        }
        assertTrue(anomalous > 0);
    }

    @Test
    void unreadableTextureIsReportedByName() throws IOException {
        Path bad = TestImages.scratchDir().resolve("broken-texture.jpg");
        Files.writeString(bad, "not a jpeg");
        AnomalySynthesizer synth = new AnomalySynthesizer(List.of(bad), false);
        Random random = new Random(0);
        IOException e = assertThrows(IOException.class, () -> {
            for (int k = 0; k < 50; k++) {
                synth.synthesize(TestImages.gradient(SIZE), random);
            }
        });
        assertTrue(e.getMessage().contains("broken-texture.jpg"), e.getMessage());
    }

    @Test
    void rejectsAForegroundOfTheWrongSize() {
        AnomalySynthesizer synth = new AnomalySynthesizer(textures, true);
        assertThrows(IllegalArgumentException.class,
                () -> synth.synthesize(TestImages.gradient(SIZE), new float[10], new Random()));
    }
}

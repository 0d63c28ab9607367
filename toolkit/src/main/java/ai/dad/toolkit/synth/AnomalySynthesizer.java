package ai.dad.toolkit.synth;

import ai.dad.imaging.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * DiffusionAD's training-time anomaly synthesis: turns a normal image into a training
 * {@link Sample}, clean half the time and otherwise carrying a pasted-in synthetic defect with
 * its exact mask, so the segmentation network can learn from normal images only.
 *
 * <p>An anomalous sample is made as follows (DESIGN.md section 2, "Training"):
 * <ol>
 *   <li>Perlin noise at a resolution of 2^a x 2^b periods (a, b uniform in 0..5), rotated about
 *       the centre by an angle uniform in [-90, 90] degrees, thresholded at 0.5 and multiplied
 *       by the foreground mask if one is given, gives the binary mask M. With no mask given,
 *       a synthesiser made with {@code randomRegions} (texture categories, the reference's
 *       "random part of the image") draws a {@link Foreground#randomRegion} per anomalous
 *       sample as the foreground. An empty M is drawn again, up to {@value #MAX_MASK_TRIES}
 *       times in all, as the reference does; if it stays empty the sample is returned clean
 *       and marked not anomalous.</li>
 *   <li>The anomaly source A is a random texture file resized to the image size or, for object
 *       categories with probability 1/2 (always, when there are no textures), the image itself;
 *       A is augmented by three distinct random {@link AugmentOp}s, and the self-source is then
 *       cut into 8 column strips, then 8 row strips, and shuffled ({@link StripShuffle}).</li>
 *   <li>With beta uniform in [0.2, 0.8]: S = x (1 - M) + (1 - beta) A M + beta x M. Pixels
 *       outside M keep the input's exact values.</li>
 * </ol>
 * Every random choice comes from the {@link Random} passed to {@link #synthesize}, so a fixed
 * seed reproduces a sample exactly. Instances hold no mutable state and may be shared between
 * threads (each thread with its own {@code Random}).
 */
public final class AnomalySynthesizer {

    /** How many Perlin masks are tried before an anomalous draw gives up and stays clean. */
    public static final int MAX_MASK_TRIES = 50;
    /** Perlin resolution exponents are uniform in 0..MAX_PERLIN_EXPONENT. */
    public static final int MAX_PERLIN_EXPONENT = 5;
    /** Number of distinct augmentations applied to the anomaly source. */
    public static final int AUGMENTATIONS = 3;
    /** The self-shuffle cuts the image into SHUFFLE_STRIPS column strips, then as many row strips. */
    public static final int SHUFFLE_STRIPS = 8;

    private static final float THRESHOLD = 0.5f;
    private static final AugmentOp[] OPS = AugmentOp.values();

    private final List<Path> textures;
    private final boolean isObject;
    private final boolean randomRegions;

    /**
     * @param textures anomaly-source image files (e.g. DTD), read when drawn and resized to the
     *                 image size; may be empty, in which case the self-shuffled image is the
     *                 only source
     * @param isObject whether the category is an object (half of the anomalies then use the
     *                 self-shuffled image as source) rather than a texture (textures only)
     */
    public AnomalySynthesizer(List<Path> textures, boolean isObject) {
        this(textures, isObject, false);
    }

    /**
     * @param randomRegions whether a sample given no foreground mask confines its anomaly to a
     *                      fresh {@link Foreground#randomRegion} (for textures) instead of
     *                      allowing the whole image
     */
    public AnomalySynthesizer(List<Path> textures, boolean isObject, boolean randomRegions) {
        this.textures = List.copyOf(textures);
        this.isObject = isObject;
        this.randomRegions = randomRegions;
    }

    /** Same as {@link #synthesize(RgbImage, float[], Random)} without a foreground mask. */
    public Sample synthesize(RgbImage image, Random random) throws IOException {
        return synthesize(image, null, random);
    }

    /**
     * Makes one training sample from a normal image.
     *
     * @param image      the normal image at the model size
     * @param foreground optional foreground mask ({@code height * width} values, row-major; a
     *                   value of at least 0.5 counts as foreground), or {@code null} for the
     *                   whole image; anomalies are only placed on the foreground
     * @param random     the source of every random choice
     * @return the sample; for a clean one the image is {@code image} itself and the mask is zero;
     *         an anomalous one names the foreground its mask was confined to
     * @throws IOException naming the file if a drawn texture cannot be read
     */
    public Sample synthesize(RgbImage image, float[] foreground, Random random) throws IOException {
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        if (foreground != null && foreground.length != plane) {
            throw new IllegalArgumentException("foreground mask has " + foreground.length
                    + " values for a " + w + "x" + h + " image");
        }
        if (random.nextDouble() < 0.5) {
            return clean(image);
        }
        if (foreground == null && randomRegions) {
            foreground = Foreground.randomRegion(h, w, random);
        }
        float[] mask = drawMask(h, w, foreground, random);
        if (mask == null) {
            return clean(image);
        }
        RgbImage source = anomalySource(image, random);
        double beta = 0.2 + 0.6 * random.nextDouble();
        float[] x = image.buffer();
        float[] a = source.buffer();
        float[] out = x.clone();
        float keep = (float) beta;
        float paste = (float) (1 - beta);
        for (int i = 0; i < plane; i++) {
            if (mask[i] != 0f) {
                for (int c = 0; c < 3; c++) {
                    int j = c * plane + i;
                    out[j] = AugmentOp.clamp(paste * a[j] + keep * x[j]);
                }
            }
        }
        return new Sample(RgbImage.wrap(w, h, out), mask, true, foreground);
    }

    private static Sample clean(RgbImage image) {
        return new Sample(image, new float[image.width() * image.height()], false);
    }

    /** The binary mask M, or {@code null} if every try came out empty. */
    private static float[] drawMask(int h, int w, float[] foreground, Random random) {
        int resRows = 1 << random.nextInt(MAX_PERLIN_EXPONENT + 1);
        int resCols = 1 << random.nextInt(MAX_PERLIN_EXPONENT + 1);
        for (int attempt = 0; attempt < MAX_MASK_TRIES; attempt++) {
            float[] noise = PerlinNoise.generate(h, w, resRows, resCols, random);
            double degrees = -90 + 180 * random.nextDouble();
            float[] rotated = Rotation.rotate(noise, h, w, degrees);
            float[] mask = new float[h * w];
            boolean any = false;
            for (int i = 0; i < mask.length; i++) {
                if (rotated[i] > THRESHOLD && (foreground == null || foreground[i] >= 0.5f)) {
                    mask[i] = 1f;
                    any = true;
                }
            }
            if (any) {
                return mask;
            }
        }
        return null;
    }

    /** The augmented anomaly source A at the image size. */
    private RgbImage anomalySource(RgbImage image, Random random) throws IOException {
        boolean self = textures.isEmpty() || (isObject && random.nextBoolean());
        RgbImage source = self
                ? image
                : RgbImage.read(textures.get(random.nextInt(textures.size()))).resize(image.width(), image.height());
        source = augment(source, random);
        return self ? StripShuffle.shuffle(source, SHUFFLE_STRIPS, random) : source;
    }

    /** Applies {@value #AUGMENTATIONS} distinct ops, chosen and ordered at random. */
    static RgbImage augment(RgbImage image, Random random) {
        int[] order = new int[OPS.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        RgbImage out = image;
        for (int k = 0; k < AUGMENTATIONS; k++) {
            int j = k + random.nextInt(order.length - k);
            int tmp = order[k];
            order[k] = order[j];
            order[j] = tmp;
            out = OPS[order[k]].apply(out, random);
        }
        return out;
    }
}

package ai.dad.djl;

import ai.dad.spi.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reference architecture at three sizes. Parameter counts are exact (trainable parameters,
 * matching the PyTorch reference to the parameter) and pinned by tests:
 *
 * <table>
 * <caption>presets</caption>
 * <tr><th>preset</th><th>input</th><th>U-Net base / mults / attention</th><th>U-Net params</th><th>seg params (base 64)</th></tr>
 * <tr><td>paper</td><td>256</td><td>128 / 1,1,2,2,4,4 / 32,16,8 px</td><td>131,654,403</td><td>28,373,569</td></tr>
 * <tr><td>small</td><td>128</td><td>32 / 1,1,2,3,4 / 16,8 px</td><td>6,187,043</td><td>28,373,569</td></tr>
 * <tr><td>tiny</td><td>64</td><td>32 / 1,2,3,4 / 8 px</td><td>5,806,499</td><td>28,373,569</td></tr>
 * </table>
 *
 * <p>{@code demo} is not a reference point: a small model (64 px, one ResBlock per level, a
 * segmentation net of base 16) that keeps the built-in demo model small enough to ship.
 */
public final class Presets {
    public static final List<String> NAMES = List.of("paper", "small", "tiny", "demo");

    private Presets() {}

    /** A manifest with the preset's architecture and the paper's inference settings. */
    public static ModelManifest manifest(String preset) {
        ModelManifest m = new ModelManifest();
        m.preset = preset.toLowerCase(Locale.ROOT);
        ModelManifest.Architecture a = m.architecture;
        switch (m.preset) {
            case "paper" -> set(a, 256, 128, List.of(1, 1, 2, 2, 4, 4), List.of(32, 16, 8));
            case "small" -> set(a, 128, 32, List.of(1, 1, 2, 3, 4), List.of(16, 8));
            case "tiny" -> set(a, 64, 32, List.of(1, 2, 3, 4), List.of(8));
            case "demo" -> set(a, 64, 32, List.of(1, 2, 2), List.of(16));
            default -> throw new IllegalArgumentException("unknown preset '" + preset + "'; choose one of " + NAMES);
        }
        a.heads = 4;
        a.resBlocks = m.preset.equals("demo") ? 1 : 2;
        a.segBase = m.preset.equals("demo") ? 16 : 64;
        m.inference.topK = topK(a.imageSize);
        return m;
    }

    /**
     * How {@code dad train} trains a preset when no flag says otherwise. {@code paper} gets the
     * official recipe (batch 16, segmentation base 64, Adam 1e-4 and 1e-5 with the segmentation
     * rate cycling under cosine:10). The smaller presets are for CPUs and get the recipe measured
     * best within a CPU budget (docs/ACCURACY.md): batch 8, a segmentation net of base 32 (16 for
     * demo) and higher constant rates, which learn faster in the few thousand steps a CPU can afford.
     */
    public record Recipe(int batch, int segBase, double lr, double segLr, String segLrSchedule) {}

    public static Recipe recipe(String preset) {
        return switch (preset.toLowerCase(Locale.ROOT)) {
            case "paper" -> new Recipe(16, 64, 1e-4, 1e-5, "cosine:10");
            case "demo" -> new Recipe(8, 16, 2e-4, 5e-4, "constant");
            default -> new Recipe(8, 32, 2e-4, 5e-4, "constant");
        };
    }

    /** The paper's top-k is 50 at 256 px; other sizes keep the same share of the image. */
    public static int topK(int imageSize) {
        return Math.max(1, 50 * imageSize * imageSize / (256 * 256));
    }

    private static void set(ModelManifest.Architecture a, int size, int base, List<Integer> mults, List<Integer> attention) {
        a.imageSize = size;
        a.unetBase = base;
        a.channelMults = new ArrayList<>(mults);
        a.attentionResolutions = new ArrayList<>(attention);
    }
}

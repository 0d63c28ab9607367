package ai.dad.toolkit.official;

import ai.dad.spi.ModelManifest;
import ai.dad.spi.ReconstructionMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The official code's {@code args} (args/argsN.json, also saved in every checkpoint) turned into
 * a model manifest: the U-Net as models/Recon_subnetwork.py's UNetModel builds it, the noise
 * schedule, and the inference settings of eval.py (norm-guided, t_s = eval_normal_t,
 * t_b = eval_noisier_t, w = condition_w, top-50 mean).
 *
 * <p>Keys the official code would not find fall back to UNetModel's defaults; img_size and
 * base_channels are required.
 */
public final class OfficialArgs {
    /** eval.py always averages the 50 largest map values, whatever the image size. */
    static final int OFFICIAL_TOP_K = 50;

    private final Map<?, ?> args;

    public OfficialArgs(Map<?, ?> args) {
        this.args = args;
    }

    /** A manifest for these args with a segmentation net of width {@code segBase}, uncalibrated. */
    public ModelManifest manifest(int segBase) {
        ModelManifest m = new ModelManifest();
        m.preset = "custom";
        ModelManifest.Architecture a = m.architecture;
        a.imageSize = imageSize();
        a.unetBase = integer("base_channels", null);
        a.channelMults = channelMults(a.imageSize);
        a.attentionResolutions = attentionResolutions();
        a.heads = integer("num_heads", 1);
        int headChannels = integer("num_head_channels", -1);
        a.headChannels = headChannels == -1 ? 0 : headChannels;
        a.resBlocks = 2; // UNetModel's num_res_blocks; the official scripts never change it
        a.dropout = number("dropout", 0.0);
        a.segHead = "draem";
        a.segBase = segBase;
        int channels = integer("channels", 3);
        if (channels != 3) {
            throw new IllegalArgumentException("channels is " + channels + "; only RGB models (3) can be served");
        }
        m.schedule.name = string("beta_schedule", "linear").toLowerCase(Locale.ROOT);
        m.schedule.steps = integer("T", 1000);
        m.inference.mode = ReconstructionMode.NORM_GUIDED.label();
        m.inference.tSmall = integer("eval_normal_t", 200);
        m.inference.tBig = integer("eval_noisier_t", 400);
        m.inference.w = number("condition_w", 1.0);
        m.inference.topK = OFFICIAL_TOP_K;
        return m;
    }

    private int imageSize() {
        Object value = require("img_size");
        List<?> sides = value instanceof List<?> list ? list : value instanceof Object[] array ? Arrays.asList(array) : List.of(value);
        int first = asInt("img_size", sides.get(0));
        for (Object side : sides) {
            if (asInt("img_size", side) != first) {
                throw new IllegalArgumentException("img_size " + sides + " is not square; the U-Net is built for img_size[0] only");
            }
        }
        return first;
    }

    /** The given multipliers, or UNetModel's default for the image size when "" or absent. */
    private List<Integer> channelMults(int imageSize) {
        Object value = args.get("channel_mults");
        List<?> mults;
        if (value == null || "".equals(value)) {
            mults = switch (imageSize) {
                case 512 -> List.of(0.5, 1, 1, 2, 2, 4, 4);
                case 256 -> List.of(1, 1, 2, 2, 4, 4);
                case 128 -> List.of(1, 1, 2, 3, 4);
                case 64, 32 -> List.of(1, 2, 3, 4);
                default -> throw new IllegalArgumentException("channel_mults is \"\" and the official code has no default for img_size " + imageSize);
            };
        } else if (value instanceof String text) {
            mults = Arrays.asList(text.split(","));
        } else if (value instanceof Object[] array) {
            mults = Arrays.asList(array);
        } else if (value instanceof List<?> list) {
            mults = list;
        } else {
            throw new IllegalArgumentException("channel_mults must be a list of numbers, not " + value);
        }
        List<Integer> out = new ArrayList<>();
        for (Object mult : mults) {
            double d = mult instanceof Number n ? n.doubleValue() : Double.parseDouble(mult.toString().trim());
            if (d != Math.rint(d) || d < 1) {
                throw new IllegalArgumentException("channel multiplier " + mult + " in " + mults
                        + " is not supported: multipliers must be whole numbers >= 1");
            }
            out.add((int) d);
        }
        if (out.get(0) != 1) {
            // UNetModel's input conv always gives base_channels, so other first multipliers do not run there either.
            throw new IllegalArgumentException("channel_mults " + out + " must start with 1, as the official UNetModel requires");
        }
        return out;
    }

    /** The official default is "32,16,8"; note that the official train.py never passes this key on. */
    private List<Integer> attentionResolutions() {
        String text = string("attention_resolutions", "32,16,8");
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            out.add(Integer.parseInt(part.trim()));
        }
        return out;
    }

    private Object require(String key) {
        Object value = args.get(key);
        if (value == null) {
            throw new IllegalArgumentException("the args have no '" + key + "'");
        }
        return value;
    }

    private int integer(String key, Integer fallback) {
        Object value = fallback == null ? require(key) : args.get(key);
        return value == null ? fallback : asInt(key, value);
    }

    private double number(String key, double fallback) {
        Object value = args.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(key + " must be a number, not " + value);
        }
        return n.doubleValue();
    }

    private String string(String key, String fallback) {
        Object value = args.get(key);
        return value == null ? fallback : value.toString();
    }

    private static int asInt(String key, Object value) {
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException(key + " must be a whole number, not " + value);
        }
        return n.intValue();
    }
}

package ai.dad.djl.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The name each parameter of these networks has in the official PyTorch code's state dict
 * (models/Recon_subnetwork.py and models/Seg_subnetwork.py of HuiZhang0812/DiffusionAD), so that
 * weights can move between the two. The native blocks mirror the official modules one to one;
 * only their names differ, and this class is the one place that says how.
 */
public final class OfficialLayout {
    private OfficialLayout() {}

    /** Official key (e.g. {@code down.4.0.in_layers.2.weight}) to parameter, for a {@link DiffusionUNet}. */
    public static Map<String, Parameter> unet(Block unet) {
        require(unet, DiffusionUNet.class);
        return walk(unet);
    }

    /** Official key (e.g. {@code decoder_segment.db_b.1.running_mean}) to parameter, for a {@link DraemSegmentationNet}. */
    public static Map<String, Parameter> seg(Block seg) {
        require(seg, DraemSegmentationNet.class);
        return walk(seg);
    }

    private static Map<String, Parameter> walk(Block root) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        walk(root, "", 0, out);
        return out;
    }

    /**
     * Names {@code block}'s parameters under {@code prefix}. {@code indexOffset} shifts the
     * indices of a SequentialBlock's children: the official up-sampling blocks start with a
     * parameterless nn.Upsample that the native ones do as an operation.
     */
    private static void walk(Block block, String prefix, int indexOffset, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + parameterName(p.getKey()), p.getValue());
        }
        int index = 0;
        for (Pair<String, Block> child : block.getChildren()) {
            String name = child.getKey().replaceFirst("^\\d+", ""); // DJL numbers children: "01in_norm"
            Block value = child.getValue();
            if (block instanceof SequentialBlock || block instanceof TimestepSequence) {
                walk(value, prefix + (index + indexOffset) + ".", 0, out);
            } else if (block instanceof DraemSegmentationNet && name.startsWith("up")) {
                walk(value, prefix + segChild(name) + ".", 1, out);
            } else {
                walk(value, prefix + childName(block, name) + ".", 0, out);
            }
            index++;
        }
    }

    private static String childName(Block parent, String name) {
        if (parent instanceof DiffusionUNet) {
            return switch (name) {
                case "out_norm" -> "out.0";
                case "out_conv" -> "out.2";
                case "time_embedding", "middle" -> name;
                default -> name.replaceFirst("^(down|up)(\\d+)$", "$1.$2");
            };
        }
        if (parent instanceof TimeEmbedding) {
            // nn.Sequential(PositionalEmbedding, Linear, SiLU, Linear)
            return name.equals("linear1") ? "1" : "3";
        }
        if (parent instanceof ResBlock) {
            return switch (name) {
                case "in_norm" -> "in_layers.0";
                case "in_conv" -> "in_layers.2";
                case "emb_linear" -> "embed_layers.1";
                case "out_norm" -> "out_layers.0";
                case "out_conv" -> "out_layers.3";
                case "skip" -> "skip_connection";
                default -> name; // dropout: no parameters
            };
        }
        if (parent instanceof AttentionBlock) {
            return switch (name) {
                case "qkv" -> "to_qkv";
                case "proj" -> "proj_out";
                default -> name;
            };
        }
        if (parent instanceof DraemSegmentationNet) {
            return segChild(name);
        }
        throw new IllegalStateException("no official name for child '" + name + "' of " + parent.getClass().getSimpleName());
    }

    /** enc1..enc6, up1..up5, dec1..dec5, final: the encoder's blocks and the decoder's b, 1, 2, 3, 4 stages. */
    private static String segChild(String name) {
        if (name.equals("final")) {
            return "decoder_segment.fin_out.0";
        }
        int number = Integer.parseInt(name.replaceAll("\\D", ""));
        String stage = number == 1 ? "_b" : String.valueOf(number - 1);
        if (name.startsWith("enc")) {
            return "encoder_segment.block" + number;
        }
        return "decoder_segment." + (name.startsWith("up") ? "up" : "db") + stage;
    }

    private static String parameterName(String djlName) {
        return switch (djlName) {
            case "gamma" -> "weight";
            case "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> djlName;
        };
    }

    private static void require(Block block, Class<? extends Block> type) {
        if (!type.isInstance(block)) {
            throw new IllegalArgumentException("the official layout is defined for " + type.getSimpleName()
                    + ", not " + block.getClass().getSimpleName());
        }
    }
}

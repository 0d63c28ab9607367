package ai.dad.toolkit.official;

import ai.dad.djl.BlockNetworks;
import ai.dad.toolkit.Directories;
import ai.dad.djl.nn.OfficialLayout;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns a checkpoint written by the official train.py ({@code params-best.pt}: n_epoch,
 * unet_model_state_dict, seg_model_state_dict, args) into a model directory of the native
 * networks: every official tensor is matched by name ({@link OfficialLayout}) and shape and
 * copied, BatchNorm running statistics included.
 */
public final class OfficialImport {
    static final String UNET_KEY = "unet_model_state_dict";
    static final String SEG_KEY = "seg_model_state_dict";
    private static final String SEG_FIRST_CONV = "encoder_segment.block1.0.weight";
    private static final int MAX_LISTED = 12;

    private OfficialImport() {}

    /** What an import did. {@code ignored}: tensors the native networks do not need (BatchNorm batch counters). */
    public record Result(ModelManifest manifest, int tensors, List<String> ignored, long unetParameters, long segParameters) {}

    /**
     * Imports {@code checkpoint} into {@code out} (which must not exist yet, or be empty); the
     * model's id is the name of that directory, as for every model.
     *
     * @param args the official args, or null to use those saved in the checkpoint
     */
    public static Result run(Path checkpoint, Map<?, ?> args, Path out, Plugins plugins) throws IOException {
        Map<?, ?> saved = TorchCheckpoint.read(checkpoint);
        Map<?, ?> unetState = stateDict(saved, UNET_KEY, checkpoint);
        Map<?, ?> segState = stateDict(saved, SEG_KEY, checkpoint);
        if (args == null) {
            if (!(saved.get("args") instanceof Map<?, ?> savedArgs)) {
                throw new IOException(checkpoint + " holds no args: pass the args file it was trained with (--args)");
            }
            args = savedArgs;
        }
        ModelManifest manifest;
        try {
            manifest = new OfficialArgs(args).manifest(segWidth(segState, checkpoint));
        } catch (IllegalArgumentException e) {
            throw new IOException("cannot import " + checkpoint + ": " + e.getMessage(), e);
        }
        manifest.version = saved.get("n_epoch") instanceof Number epoch ? "official-epoch-" + epoch : "official";
        List<String> invalid = manifest.validate();
        if (!invalid.isEmpty()) {
            throw new IOException("cannot import " + checkpoint + ": " + String.join("; ", invalid));
        }
        requireEmpty(out);

        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BlockNetworks nets = BlockNetworks.create(manifest, plugins, manager, 0)) {
            Map<String, Parameter> unetParams = OfficialLayout.unet(nets.unet());
            Map<String, Parameter> segParams = OfficialLayout.seg(nets.seg());
            List<String> problems = new ArrayList<>();
            List<String> ignored = new ArrayList<>();
            int copied = copy(UNET_KEY, unetState, unetParams, problems, ignored)
                    + copy(SEG_KEY, segState, segParams, problems, ignored);
            if (!problems.isEmpty()) {
                throw new IOException(checkpoint + " does not fit the architecture its args describe ("
                        + describe(manifest) + "):\n  " + String.join("\n  ", problems) + hint(problems));
            }
            Path parent = Files.createDirectories(out.toAbsolutePath().getParent());
            Path staging = Files.createTempDirectory(parent, ".import-");
            try {
                nets.save(staging, manifest);
                manifest.write(staging);
                Files.deleteIfExists(out); // empty, checked above
                Files.move(staging, out);
            } finally {
                Directories.deleteTree(staging);
            }
            return new Result(manifest, copied, ignored,
                    BlockNetworks.trainableParameters(nets.unet()), BlockNetworks.trainableParameters(nets.seg()));
        }
    }

    /** Copies every tensor of {@code state} onto {@code params}; says what is missing, unexpected or mis-shaped. */
    private static int copy(String dictName, Map<?, ?> state, Map<String, Parameter> params, List<String> problems, List<String> ignored) {
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        int copied = 0;
        for (Map.Entry<String, Parameter> entry : params.entrySet()) {
            Object value = state.get(entry.getKey());
            long[] expected = entry.getValue().getArray().getShape().getShape();
            if (!(value instanceof TorchTensor tensor)) {
                missing.add(entry.getKey() + " " + Arrays.toString(expected));
            } else if (!Arrays.equals(tensor.shape(), expected)) {
                misShaped.add(entry.getKey() + " is " + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(expected));
            } else {
                entry.getValue().getArray().set(tensor.values());
                copied++;
            }
        }
        for (Object key : state.keySet()) {
            String name = String.valueOf(key);
            if (params.containsKey(name)) {
                continue;
            }
            // BatchNorm counts batches only to average when momentum is None; DRAEM's uses momentum 0.1.
            if (name.endsWith(".num_batches_tracked")) {
                ignored.add(dictName + "." + name);
            } else {
                unexpected.add(name);
            }
        }
        list(problems, dictName + ": missing", missing);
        list(problems, dictName + ": unexpected", unexpected);
        list(problems, dictName + ": wrong shape", misShaped);
        return copied;
    }

    private static void list(List<String> problems, String what, List<String> names) {
        if (names.isEmpty()) {
            return;
        }
        List<String> shown = names.subList(0, Math.min(MAX_LISTED, names.size()));
        String more = names.size() > shown.size() ? ", ... (" + (names.size() - shown.size()) + " more)" : "";
        problems.add(what + " (" + names.size() + "): " + String.join(", ", shown) + more);
    }

    /** Attention placed elsewhere is the likely cause: the official train.py ignores attention_resolutions. */
    private static String hint(List<String> problems) {
        boolean attention = problems.stream().anyMatch(p -> p.contains(".to_qkv.") || p.contains(".norm."));
        return attention
                ? "\nThe attention blocks differ: the official train.py builds UNetModel without attention_resolutions "
                        + "(so at 32,16,8 px whatever the args say); pass --args with the attention_resolutions it was trained with."
                : "";
    }

    private static Map<?, ?> stateDict(Map<?, ?> saved, String key, Path checkpoint) throws IOException {
        if (!(saved.get(key) instanceof Map<?, ?> state)) {
            throw new IOException(checkpoint + " has no " + key + " (its keys: " + saved.keySet()
                    + "); bin/dad import reads the params-*.pt files the official train.py saves");
        }
        return state;
    }

    /** The segmentation width is read from the weights: the official scripts fix it in code, not in args. */
    private static int segWidth(Map<?, ?> segState, Path checkpoint) throws IOException {
        if (!(segState.get(SEG_FIRST_CONV) instanceof TorchTensor first) || first.shape().length != 4) {
            throw new IOException(checkpoint + ": " + SEG_KEY + " has no 4-d " + SEG_FIRST_CONV);
        }
        if (first.shape()[1] != 6) {
            throw new IOException(checkpoint + ": the segmentation net takes " + first.shape()[1]
                    + " input channels; DiffusionAD's takes 6 (image and reconstruction)");
        }
        return Math.toIntExact(first.shape()[0]);
    }

    private static String describe(ModelManifest m) {
        var a = m.architecture;
        return a.imageSize + " px, base " + a.unetBase + ", mults " + a.channelMults + ", attention at " + a.attentionResolutions
                + " px, " + (a.headChannels > 0 ? a.headChannels + " channels per head" : a.heads + " heads") + ", segmentation base " + a.segBase;
    }

    private static void requireEmpty(Path out) throws IOException {
        if (Files.isDirectory(out)) {
            try (Stream<Path> entries = Files.list(out)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException(out + " is not empty; choose a new directory for the imported model");
                }
            }
        } else if (Files.exists(out)) {
            throw new IOException(out + " exists and is not a directory");
        }
    }
}

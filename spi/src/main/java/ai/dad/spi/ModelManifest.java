package ai.dad.spi;

import ai.dad.imaging.FrameLayout;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.annotations.SerializedName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code manifest.json} of a model directory: everything needed to rebuild the networks,
 * run inference the same way every time, and turn a score into a verdict.
 *
 * <p>There is no id field: a model's id is the name of its directory, the one thing the service
 * and every command agree on (an {@code "id"} in older manifests is ignored).
 *
 * <p>Fields are public and mutable on purpose: the trainer and calibrator fill them in, and
 * Gson maps them one to one onto the JSON a person reads. {@link #validate()} says what is wrong.
 */
public final class ModelManifest {
    /** The manifest file name inside a model directory. */
    public static final String FILE_NAME = "manifest.json";
    /**
     * Present in a training checkpoint, never in a finished model: the service refuses to serve a
     * directory that holds it.
     */
    public static final String TRAINING_STATE_FILE = "training-state.json";
    /** The format this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    @SerializedName("format_version")
    public int formatVersion = FORMAT_VERSION;
    /** Free-form version of this model, e.g. a training date. */
    public String version = "1";
    /** The backend that serves it ({@link BackendProvider#name()}). */
    public String backend = "djl";
    /** The preset the architecture came from ({@code paper}, {@code small}, {@code tiny}) or {@code custom}. */
    public String preset = "custom";
    public Architecture architecture = new Architecture();
    public Schedule schedule = new Schedule();
    public Inference inference = new Inference();
    public Calibration calibration = new Calibration();
    public Weights weights = new Weights();
    public Preprocess preprocess = new Preprocess();

    /** Network shapes; with a preset these are the preset's values, written out in full. */
    public static final class Architecture {
        @SerializedName("image_size")
        public int imageSize = 64;
        @SerializedName("unet_base")
        public int unetBase = 32;
        @SerializedName("channel_mults")
        public List<Integer> channelMults = new ArrayList<>(List.of(1, 2, 3, 4));
        /** Feature-map widths (px) that get self-attention, e.g. 32,16,8 at 256 px. */
        @SerializedName("attention_resolutions")
        public List<Integer> attentionResolutions = new ArrayList<>(List.of(8));
        public int heads = 4;
        /**
         * Channels per attention head; when positive it replaces {@link #heads}, each attention
         * block getting channels / head_channels heads (the official num_head_channels). 0: off.
         */
        @SerializedName("head_channels")
        public int headChannels = 0;
        @SerializedName("res_blocks")
        public int resBlocks = 2;
        public double dropout = 0.0;
        /** Segmentation head provider name. */
        @SerializedName("seg_head")
        public String segHead = "draem";
        @SerializedName("seg_base")
        public int segBase = 64;
        @SerializedName("seg_options")
        public Map<String, String> segOptions = new LinkedHashMap<>();
    }

    /** Noise schedule, by provider name. */
    public static final class Schedule {
        public String name = "linear";
        public int steps = 1000;
        public Map<String, String> options = new LinkedHashMap<>();
    }

    /** How verdicts are computed; the defaults are the paper's. */
    public static final class Inference {
        public String mode = ReconstructionMode.NORM_GUIDED.label();
        @SerializedName("t_s")
        public int tSmall = 200;
        @SerializedName("t_b")
        public int tBig = 400;
        public double w = 1.0;
        @SerializedName("ddim_steps")
        public int ddimSteps = 10;
        @SerializedName("top_k")
        public int topK = 50;
        /** Seed of the inference noise: the same image always gets the same score. */
        public long seed = 0;
        /**
         * Number format the networks compute in: fp32, bf16 (CPUs with AVX-512 BF16 or AMX, recent
         * GPUs) or fp16 (GPUs). A backend refuses one its device would run slowly or not at all.
         */
        public String precision = "fp32";

        /** The reconstruction these settings describe. */
        public ReconstructionSpec spec() {
            ReconstructionMode m = ReconstructionMode.parse(mode);
            return new ReconstructionSpec(m, tSmall, m == ReconstructionMode.NORM_GUIDED ? tBig : tSmall, w, ddimSteps);
        }
    }

    /**
     * OK/NG threshold and score normalisation, filled by calibration. Until then
     * {@code threshold} is null and normalisation is the identity.
     * {@code normalized = (score - center) / scale}.
     */
    public static final class Calibration {
        public Double threshold = null;
        public double center = 0.0;
        public double scale = 1.0;
        /** How the threshold was chosen, for people reading the manifest. */
        public String rule = "";
    }

    /**
     * How a camera frame becomes the model's inputs ({@link FrameLayout}): a region of interest,
     * and stretch (the default, as before this section existed), letterbox or tiles.
     */
    public static final class Preprocess {
        /** Region of interest {@code [x, y, width, height]} in frame pixels; null for the whole frame. */
        public List<Integer> roi = null;
        /** {@code stretch}, {@code letterbox} or {@code tiles}. */
        public String fit = FrameLayout.Fit.STRETCH.label();
        /** Tile side in frame pixels (tiles). */
        public int tile = 0;
        /** Overlap of neighbouring tiles in frame pixels (tiles). */
        public int overlap = 0;
        /**
         * {@code [width, height]} of the frames the model was trained on; needed with a region of
         * interest or tiles (frames of the same aspect ratio are rescaled to it, others refused).
         */
        @SerializedName("frame_size")
        public List<Integer> frameSize = null;

        /** The whole frame stretched to the model's square: the default, any frame size. */
        public boolean plainStretch() {
            return roi == null && FrameLayout.Fit.parse(fit) == FrameLayout.Fit.STRETCH;
        }

        /** Whether the layout is in frame pixels (a region or tiles), so the trained frame size is needed. */
        public boolean usesFrameSize() {
            return roi != null || FrameLayout.Fit.parse(fit) == FrameLayout.Fit.TILES;
        }

        /** The layout these settings describe for a model of {@code modelSize} pixels. */
        public FrameLayout layout(int modelSize) {
            FrameLayout.Rect region = roi == null ? null : new FrameLayout.Rect(roi.get(0), roi.get(1), roi.get(2), roi.get(3));
            int width = frameSize == null ? 0 : frameSize.get(0);
            int height = frameSize == null ? 0 : frameSize.get(1);
            return new FrameLayout(modelSize, region, FrameLayout.Fit.parse(fit), tile, overlap, width, height);
        }
    }

    /** Where the weights are, relative to the model directory. */
    public static final class Weights {
        /** {@code djl} (DJL parameter files) or {@code torchscript}. */
        public String format = "djl";
        /** File names in the model directory: DJL parameter files or TorchScript modules. */
        public String unet = "unet.params";
        public String seg = "seg.params";
    }

    /** Reads and validates {@code dir/manifest.json}. */
    public static ModelManifest read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException("not a model directory: " + file + " does not exist", e);
        }
        return parse(json, file.toString());
    }

    /** Parses and validates manifest JSON; {@code origin} names it in error messages. */
    public static ModelManifest parse(String json, String origin) throws IOException {
        ModelManifest manifest;
        try {
            manifest = GSON.fromJson(json, ModelManifest.class);
        } catch (JsonParseException e) {
            throw new IOException(origin + " is not valid manifest JSON: " + e.getMessage(), e);
        }
        if (manifest == null) {
            throw new IOException(origin + " is empty");
        }
        List<String> problems = manifest.validate();
        if (!problems.isEmpty()) {
            throw new IOException(origin + ": " + String.join("; ", problems));
        }
        return manifest;
    }

    /** Writes {@code dir/manifest.json}, creating {@code dir} if needed. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(FILE_NAME), toJson() + "\n", StandardCharsets.UTF_8);
    }

    public String toJson() {
        return GSON.toJson(this);
    }

    /** A deep copy (through JSON, so it is exactly what a save and load would give). */
    public ModelManifest copy() {
        return GSON.fromJson(toJson(), ModelManifest.class);
    }

    /** Everything wrong with this manifest, empty when it is usable. */
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (formatVersion != FORMAT_VERSION) {
            problems.add("format_version " + formatVersion + " is not supported (expected " + FORMAT_VERSION + ")");
        }
        if (architecture == null || schedule == null || inference == null || calibration == null || weights == null) {
            problems.add("architecture, schedule, inference, calibration and weights are all required");
            return problems;
        }
        Architecture a = architecture;
        int levels = a.channelMults == null ? 0 : a.channelMults.size();
        if (levels == 0) {
            problems.add("architecture.channel_mults is empty");
        } else if (a.imageSize <= 0 || a.imageSize % (1 << (levels - 1)) != 0) {
            problems.add("architecture.image_size " + a.imageSize + " must be a positive multiple of "
                    + (1 << (levels - 1)) + " for " + levels + " levels");
        }
        if (a.imageSize % 32 != 0) {
            problems.add("architecture.image_size " + a.imageSize + " must be a multiple of 32 (the segmentation net halves it 5 times)");
        }
        if (a.unetBase <= 0 || a.unetBase % 32 != 0) {
            problems.add("architecture.unet_base " + a.unetBase + " must be a positive multiple of 32 (GroupNorm(32))");
        }
        if (a.heads <= 0) {
            problems.add("architecture.heads must be positive");
        }
        if (a.headChannels < 0) {
            problems.add("architecture.head_channels must be 0 (off) or positive");
        }
        if (a.resBlocks <= 0) {
            problems.add("architecture.res_blocks must be positive");
        }
        if (a.segBase <= 0) {
            problems.add("architecture.seg_base must be positive");
        }
        if (schedule.steps <= 0) {
            problems.add("schedule.steps must be positive");
        }
        Inference i = inference;
        try {
            ReconstructionSpec spec = i.spec();
            if (spec.maxT() >= schedule.steps) {
                problems.add("inference timesteps (up to " + spec.maxT() + ") must be below schedule.steps " + schedule.steps);
            }
        } catch (IllegalArgumentException e) {
            problems.add("inference: " + e.getMessage());
        }
        if (!List.of("fp32", "bf16", "fp16").contains(i.precision)) {
            problems.add("inference.precision must be fp32, bf16 or fp16, not '" + i.precision + "'");
        }
        if (i.topK <= 0) {
            problems.add("inference.top_k must be positive");
        }
        Double threshold = calibration.threshold;
        if (threshold != null && !Double.isFinite(threshold)) {
            problems.add("calibration.threshold must be a finite number");
        }
        if (!(calibration.scale > 0) || !Double.isFinite(calibration.scale)) {
            problems.add("calibration.scale must be a positive number");
        }
        Preprocess p = preprocess == null ? new Preprocess() : preprocess;
        if (p.roi != null && p.roi.size() != 4) {
            problems.add("preprocess.roi must be [x, y, width, height]");
        } else if (p.frameSize != null && p.frameSize.size() != 2) {
            problems.add("preprocess.frame_size must be [width, height]");
        } else {
            try {
                p.layout(a.imageSize);
            } catch (IllegalArgumentException e) {
                problems.add("preprocess: " + e.getMessage());
            }
        }
        if (!"djl".equals(weights.format) && !"torchscript".equals(weights.format)) {
            problems.add("weights.format must be 'djl' or 'torchscript', got '" + weights.format + "'");
        }
        for (String name : new String[] {weights.unet, weights.seg}) {
            // Weights are loaded from the model directory only, never from elsewhere.
            if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
                problems.add("weights file '" + name + "' must be a plain file name inside the model directory");
            }
        }
        return problems;
    }
}

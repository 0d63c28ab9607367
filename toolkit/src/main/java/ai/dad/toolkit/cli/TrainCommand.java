package ai.dad.toolkit.cli;

import ai.dad.djl.BlockNetworks;
import ai.dad.toolkit.Directories;
import ai.dad.djl.DjlBackendProvider;
import ai.dad.djl.DjlInspectionBackend;
import ai.dad.toolkit.eval.FrameInference;
import ai.dad.djl.Presets;
import ai.dad.imaging.FrameLayout;
import ai.dad.imaging.RgbImage;
import ai.dad.toolkit.synth.AnomalySynthesizer;
import ai.dad.toolkit.train.Batch;
import ai.dad.toolkit.train.BatchMaker;
import ai.dad.toolkit.train.Calibrator;
import ai.dad.toolkit.train.ImageFolders;
import ai.dad.toolkit.train.LearningRate;
import ai.dad.toolkit.train.Trainer;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad train}: trains a DiffusionAD model on good images only, holds some out to calibrate
 * the threshold, and writes a model directory the backend serves. The model directory gets only
 * what serving needs; checkpoints (for {@code --resume}) and the learning curve go to
 * {@code OUT.training} beside it, so that the model directory can be served or copied as it is.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on a folder of good images (MVTec category or plain folder).")
public final class TrainCommand implements Callable<Integer> {
    /** Suffix of the folder beside the model directory that holds the training state. */
    static final String TRAINING_SUFFIX = ".training";
    static final String CHECKPOINT = "checkpoint";
    static final String STATE_FILE = ModelManifest.TRAINING_STATE_FILE;
    static final String LOG_FILE = "training-log.jsonl";
    private static final DateTimeFormatter VERSION_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Good images: an MVTec category (uses train/good) or any folder of images.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "MODEL_DIR",
            description = "Where the model is written (manifest.json and weights; its name is the model id). "
                    + "Checkpoints and the training log go to MODEL_DIR" + TRAINING_SUFFIX + " beside it.")
    Path out;

    @Option(names = "--preset", defaultValue = "small", description = "paper, small, tiny or demo (default: ${DEFAULT-VALUE}).")
    String preset;

    @Option(names = "--image-size", paramLabel = "PX",
            description = "Override the preset's input size (a multiple of 32); attention stays at the preset's levels.")
    Integer imageSize;

    @Option(names = "--train-crop", paramLabel = "PX",
            description = "Train on random PX x PX crops of the images at --image-size (synthesis on the whole image first): "
                    + "the model infers at the full size for the training cost of the crop (a multiple of 32).")
    Integer trainCrop;

    @Option(names = "--fit", paramLabel = "stretch|letterbox|tiles",
            description = "How a frame (or its --roi) becomes the model's square input: stretched (default), scaled to fit "
                    + "and padded, or cut into --tile tiles (docs/TRAINING.md, Frames).")
    String fit;

    @Option(names = "--roi", paramLabel = "X,Y,W,H", split = ",",
            description = "Region of interest in frame pixels: the rest of every frame is ignored, in training and serving.")
    List<Integer> roi;

    @Option(names = "--tile", paramLabel = "PX", description = "Tile side in frame pixels (implies --fit tiles).")
    Integer tile;

    @Option(names = "--overlap", paramLabel = "PX", defaultValue = "0",
            description = "Overlap of neighbouring tiles in frame pixels (default: ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--seg-base", paramLabel = "C",
            description = "Segmentation net width (default: the preset's recipe, 64 for paper, 32 for small and tiny: 4x cheaper, 16 for demo).")
    Integer segBase;

    @Option(names = "--steps", paramLabel = "N", description = "Optimisation steps (default: 1000 unless --epochs is given).")
    Integer steps;

    @Option(names = "--epochs", paramLabel = "E", description = "Passes over the training images, converted to steps.")
    Double epochs;

    @Option(names = "--batch", description = "Batch size (default: the preset's recipe, 16 for paper, 8 for the others).")
    Integer batch;

    @Option(names = "--lr", description = "U-Net learning rate (default: the preset's recipe).")
    Double lr;

    @Option(names = "--seg-lr", description = "Segmentation net learning rate (default: the preset's recipe).")
    Double segLr;

    @Option(names = "--lr-schedule", defaultValue = "constant",
            description = "U-Net learning-rate schedule: constant or cosine:T (default: ${DEFAULT-VALUE}).")
    String lrSchedule;

    @Option(names = "--seg-lr-schedule",
            description = "Segmentation learning-rate schedule: constant or cosine:T, the rate cycling base -> 0 -> base "
                    + "every 2T steps (default: the preset's recipe; the official one is cosine:10).")
    String segLrSchedule;

    @Option(names = "--init", defaultValue = "pytorch", paramLabel = "pytorch|djl|MODEL_DIR",
            description = "Initial weights: random as PyTorch draws them (as the official networks), random as DJL does, "
                    + "or a model directory to fine-tune (a trained or imported model: its architecture, schedule and "
                    + "inference settings are kept) (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(names = "--eval-data", paramLabel = "CATEGORY_DIR",
            description = "An MVTec-layout category whose test set is scored during training, for the learning curve "
                    + "in MODEL_DIR" + TRAINING_SUFFIX + "/" + LOG_FILE + ". The final model is what counts; this only records the way there.")
    Path evalData;

    @Option(names = "--eval-every", paramLabel = "N", description = "Steps between test-set scores (default: --checkpoint-every).")
    Integer evalEvery;

    @Option(names = "--textures", paramLabel = "DIR", description = "Anomaly-source images, e.g. DTD.")
    Path textures;

    @Option(names = "--foreground", defaultValue = ForegroundOption.AUTO, paramLabel = "auto|none|DIR",
            description = "Where anomalies are pasted: " + ForegroundOption.DESCRIPTION)
    String foreground;

    @Option(names = "--category-type", defaultValue = "object",
            description = "object (anomaly sources: textures and the image's own shuffled patches) or texture.")
    String categoryType;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of everything random (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--val-fraction", defaultValue = "0.1", description = "Share of good images held out to calibrate (default: ${DEFAULT-VALUE}).")
    double valFraction;

    @Option(names = "--threshold-rule", defaultValue = Calibrator.DEFAULT_RULE,
            description = "max, percentile:P or sigma:K over held-out good scores (default: ${DEFAULT-VALUE}).")
    String thresholdRule;

    @Option(names = "--threshold-margin", defaultValue = "0.1", description = "Relative headroom above the rule's value (default: ${DEFAULT-VALUE}).")
    double thresholdMargin;

    @Option(names = "--max-minutes", paramLabel = "M",
            description = "Wall-time budget: stop after the step that passes M minutes, then save and calibrate as usual.")
    Double maxMinutes;

    @Option(names = "--checkpoint-every", defaultValue = "200", description = "Steps between checkpoints (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;

    @Option(names = "--resume", description = "Continue from MODEL_DIR" + TRAINING_SUFFIX + "/" + CHECKPOINT + ".")
    boolean resume;

    @Option(names = "--device", description = "cpu, gpu or gpu:N (default: a GPU if there is one).")
    String device;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Plugins plugins = Plugins.fromClassPath();
        Path model = out.toAbsolutePath().normalize();
        Path training = model.resolveSibling(model.getFileName() + TRAINING_SUFFIX);
        Path checkpoint = training.resolve(CHECKPOINT);
        boolean resuming = resume && Files.isRegularFile(checkpoint.resolve(STATE_FILE));
        if (resume && !resuming) {
            err.println("dad train: no checkpoint in " + checkpoint + " to resume from: starting from step 0");
        }
        ModelManifest manifest = resuming ? ModelManifest.read(checkpoint) : newManifest();
        Presets.Recipe recipe = Presets.recipe(manifest.preset);
        int batch = this.batch != null ? this.batch : recipe.batch();
        double unetLr = lr != null ? lr : recipe.lr();
        double segmentationLr = segLr != null ? segLr : recipe.segLr();
        String segSchedule = segLrSchedule != null ? segLrSchedule : recipe.segLrSchedule();
        int size = manifest.architecture.imageSize;

        List<Path> files = ImageFolders.goodTrainingImages(data);
        ImageFolders.Split split = ImageFolders.split(files, valFraction, seed);
        err.printf(Locale.ROOT, "dad train: %d good images (%d train, %d held out for calibration) at %d px, preset %s%n",
                files.size(), split.train().size(), split.validation().size(), size, manifest.preset);
        err.printf(Locale.ROOT, "dad train: batch %d, segmentation base %d, lr %s (%s), seg lr %s (%s), init %s, foreground %s%n",
                batch, manifest.architecture.segBase, unetLr, lrSchedule, segmentationLr, segSchedule, init, foreground);
        if (!resuming && manifest.preprocess.usesFrameSize()) {
            // A region of interest or tiles are in frame pixels: the model remembers the frame size.
            RgbImage first = RgbImage.read(split.train().get(0));
            manifest.preprocess.frameSize = new ArrayList<>(List.of(first.width(), first.height()));
            List<String> problems = manifest.validate();
            if (!problems.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
            }
        }
        List<RgbImage> trainImages = modelInputs(split.train(), manifest);
        if (trainImages.size() != split.train().size()) {
            err.printf(Locale.ROOT, "dad train: %d %s inputs of %d px from the %d training images%n",
                    trainImages.size(), manifest.preprocess.fit, size, split.train().size());
        }
        boolean isObject = !"texture".equals(categoryType);
        ForegroundOption foregroundOption = new ForegroundOption(foreground, isObject);
        if (!manifest.preprocess.plainStretch() && !foregroundOption.wholeImage()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--foreground auto and DIR work on whole images; "
                    + "with --roi, --fit letterbox or tiles use --foreground none (or --category-type texture)");
        }
        List<float[]> foregrounds = foregroundOption.forImages(split.train(), trainImages);
        List<Path> textureFiles = textures == null ? List.of() : ImageFolders.images(textures);
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(textureFiles, isObject, foregroundOption.randomRegions());

        int totalSteps = totalSteps(trainImages.size(), batch);
        NoiseSchedule schedule = DjlBackendProvider.schedule(manifest, plugins);
        BatchMaker batches = new BatchMaker(trainImages, foregrounds, synthesizer, batch, crop(size), 300, schedule.steps(), seed);
        ExecutorService prefetch = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dad-batches");
            t.setDaemon(true);
            return t;
        });
        try (NDManager root = NDManager.newBaseManager(DjlBackendProvider.device(device), "PyTorch");
                BlockNetworks nets = resuming
                        ? BlockNetworks.load(checkpoint, manifest, plugins, root)
                        : initModel() != null
                                ? BlockNetworks.load(initModel(), ModelManifest.read(initModel()), plugins, root)
                                : BlockNetworks.create(manifest, plugins, root, seed, initChoice())) {
            int start = resuming ? readStep(checkpoint) : 0;
            Trainer trainer = new Trainer(nets, schedule, manifest.inference.w,
                    learningRate(lrSchedule, unetLr, start), learningRate(segSchedule, segmentationLr, start));
            Progress progress = new Progress(err, "steps", start, totalSteps, 10);
            Files.createDirectories(training);
            TrainingLog log = new TrainingLog(training.resolve(LOG_FILE), evalData, batch, device, plugins);
            CompletableFuture<Batch> next = CompletableFuture.supplyAsync(() -> batches.make(start), prefetch);
            long deadline = maxMinutes == null ? Long.MAX_VALUE : System.nanoTime() + (long) (maxMinutes * 60e9);
            int done = start;
            for (int step = start; step < totalSteps; step++) {
                Batch current = next.join();
                int following = step + 1;
                next = CompletableFuture.supplyAsync(() -> batches.make(following), prefetch);
                Trainer.StepLoss loss = trainer.step(root, current);
                progress.update(step + 1, String.format(Locale.ROOT, "loss %.4f (noise %.4f, focal %.4f, smoothL1 %.4f)",
                        loss.total(), loss.noise(), loss.focal(), loss.smoothL1()));
                log.add(loss);
                done = step + 1;
                if (done == totalSteps || System.nanoTime() >= deadline) {
                    break;
                }
                // The test set is scored on a checkpoint, so a scored step writes one too.
                boolean evaluate = evalData != null && done % evalEvery() == 0;
                if (evaluate || done % checkpointEvery == 0) {
                    writeCheckpoint(nets, manifest, checkpoint, done);
                    log.write(done, evaluate ? checkpoint : null, err);
                }
            }
            nets.freeze(true);
            nets.save(out, manifest);
            manifest.write(out);
            if (done > start) {
                // The curve's last point scores the saved model itself.
                log.write(done, evalData != null ? out : null, err);
            }
            if (!split.validation().isEmpty()) {
                calibrate(out, plugins, split.validation(), batch, err);
            }
        } finally {
            prefetch.shutdownNow();
        }
        err.println("dad train: model written to " + out + " (checkpoints and training log in " + training + ")");
        return CommandLine.ExitCode.OK;
    }

    private int crop(int size) {
        if (trainCrop == null) {
            return 0;
        }
        if (trainCrop <= 0 || trainCrop % 32 != 0 || trainCrop > size) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--train-crop must be a multiple of 32 no larger than the image size " + size + ", not " + trainCrop);
        }
        return trainCrop;
    }

    private BlockNetworks.Init initChoice() {
        return switch (init.toLowerCase(Locale.ROOT)) {
            case "pytorch" -> BlockNetworks.Init.PYTORCH;
            case "djl" -> BlockNetworks.Init.DJL;
            default -> throw new CommandLine.ParameterException(spec.commandLine(),
                    "--init must be pytorch, djl or a model directory, not '" + init + "'");
        };
    }

    /** The model directory --init names, or null for random weights. */
    private Path initModel() {
        if (init.equalsIgnoreCase("pytorch") || init.equalsIgnoreCase("djl")) {
            return null;
        }
        Path dir = Path.of(init);
        if (!Files.isRegularFile(dir.resolve(ModelManifest.FILE_NAME))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--init must be pytorch, djl or a model directory (with a manifest.json), not '" + init + "'");
        }
        return dir;
    }

    /** Fine-tuning keeps the starting model's architecture, schedule and inference settings; the new model is uncalibrated. */
    private ModelManifest fineTuneManifest(Path from) throws IOException {
        for (String option : List.of("--preset", "--image-size", "--seg-base", "--fit", "--roi", "--tile", "--overlap")) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        option + " cannot change the architecture of the model --init starts from; leave it out");
            }
        }
        ModelManifest start = ModelManifest.read(from);
        if (!"djl".equals(start.weights.format)) {
            throw new CommandLine.ParameterException(spec.commandLine(), from + " holds " + start.weights.format
                    + " weights; only native (djl) models can be fine-tuned (bin/dad import converts official checkpoints)");
        }
        ModelManifest manifest = start.copy();
        manifest.calibration = new ModelManifest.Calibration();
        manifest.weights = new ModelManifest.Weights();
        return manifest;
    }

    private int evalEvery() {
        return evalEvery != null ? evalEvery : checkpointEvery;
    }

    private Tracker learningRate(String schedule, double base, int firstStep) {
        try {
            return LearningRate.parse(schedule, base, firstStep);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private ModelManifest newManifest() throws IOException {
        ModelManifest manifest = initModel() != null ? fineTuneManifest(initModel()) : presetManifest();
        // When training started (UTC, to the second): a model retrained the same day gets a new
        // version, which verdicts report; no colons, so it can also tag a model image.
        manifest.version = VERSION_FORMAT.format(Instant.now());
        return manifest;
    }

    private ModelManifest presetManifest() {
        ModelManifest manifest = Presets.manifest(preset);
        if (imageSize != null) {
            // Attention is placed by feature-map width: scale the widths so the same levels keep it.
            int presetSize = manifest.architecture.imageSize;
            manifest.architecture.attentionResolutions.replaceAll(r -> r * imageSize / presetSize);
            manifest.architecture.imageSize = imageSize;
            manifest.inference.topK = Presets.topK(imageSize);
        }
        manifest.architecture.segBase = segBase != null ? segBase : Presets.recipe(preset).segBase();
        manifest.preprocess.fit = tile != null ? "tiles" : fit != null ? fit.toLowerCase(Locale.ROOT) : "stretch";
        manifest.preprocess.roi = roi == null ? null : new ArrayList<>(roi);
        manifest.preprocess.tile = tile == null ? 0 : tile;
        manifest.preprocess.overlap = overlap;
        if (roi != null && roi.size() != 4) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--roi takes X,Y,W,H");
        }
        try {
            FrameLayout.Fit.parse(manifest.preprocess.fit);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fit: " + e.getMessage());
        }
        if ("tiles".equals(manifest.preprocess.fit) && tile == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fit tiles needs --tile PX");
        }
        if (manifest.preprocess.usesFrameSize()) {
            return manifest; // validated once the frame size is known (the first training image)
        }
        List<String> problems = manifest.validate();
        if (!problems.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
        }
        return manifest;
    }

    private int totalSteps(int trainImages, int batch) {
        if (steps != null && epochs != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give --steps or --epochs, not both");
        }
        if (epochs != null) {
            return Math.max(1, (int) Math.ceil(epochs * trainImages / batch));
        }
        return steps != null ? steps : 1000;
    }

    /** Scores the held-out good images with the saved model and stores the threshold in its manifest. */
    private void calibrate(Path modelDir, Plugins plugins, List<Path> goodFiles, int batch, PrintWriter err) throws IOException {
        try (DjlInspectionBackend backend = (DjlInspectionBackend) new DjlBackendProvider()
                .open(modelDir, plugins, device == null ? Map.of() : Map.of("device", device))) {
            ModelManifest manifest = backend.manifest();
            double[] scores = FrameInference.run(backend, read(goodFiles, manifest), batch)
                    .stream().mapToDouble(FrameInference.Result::score).toArray();
            manifest.calibration = Calibrator.fromGoodScores(scores, thresholdRule, thresholdMargin);
            manifest.write(modelDir);
            err.printf(Locale.ROOT, "dad train: threshold %.6f (%s)%n", manifest.calibration.threshold, manifest.calibration.rule);
        }
    }

    /** The files as the model's layout reads them ({@link FrameInference#read}). */
    static List<RgbImage> read(List<Path> files, ModelManifest manifest) throws IOException {
        List<RgbImage> images = new ArrayList<>(files.size());
        for (Path file : files) {
            images.add(FrameInference.read(file, manifest));
        }
        return images;
    }

    /** The model's inputs from image files: each image cut by the layout (one per image, or its tiles). */
    static List<RgbImage> modelInputs(List<Path> files, ModelManifest manifest) throws IOException {
        if (manifest.preprocess.plainStretch()) {
            return read(files, manifest);
        }
        FrameLayout layout = manifest.preprocess.layout(manifest.architecture.imageSize);
        List<RgbImage> inputs = new ArrayList<>();
        for (Path file : files) {
            inputs.addAll(layout.cut(RgbImage.read(file)).inputs());
        }
        return inputs;
    }

    /** Writes a complete checkpoint beside the old one, then swaps, so a crash never leaves half of one. */
    private static void writeCheckpoint(BlockNetworks nets, ModelManifest manifest, Path checkpoint, int step) throws IOException {
        Path fresh = checkpoint.resolveSibling(CHECKPOINT + ".tmp");
        Directories.deleteTree(fresh);
        nets.save(fresh, manifest);
        manifest.write(fresh);
        JsonObject state = new JsonObject();
        state.addProperty("step", step);
        Files.writeString(fresh.resolve(STATE_FILE), state + "\n");
        Directories.deleteTree(checkpoint);
        Files.move(fresh, checkpoint);
    }

    private static int readStep(Path checkpoint) throws IOException {
        return JsonParser.parseString(Files.readString(checkpoint.resolve(STATE_FILE)))
                .getAsJsonObject().get("step").getAsInt();
    }
}

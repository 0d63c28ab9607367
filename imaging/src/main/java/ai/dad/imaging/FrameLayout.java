package ai.dad.imaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a camera frame becomes the model's square inputs, and how their anomaly maps come back as
 * one map of the frame: the {@code preprocess} section of a model manifest. Training,
 * calibration, evaluation and the service all go through this class, so they cut frames the
 * same way.
 *
 * <ol>
 * <li>Frame size: a model that records the frame size it was trained on rescales a frame of
 *     another size with the same aspect ratio (within 1 %) to it, and refuses any other.
 * <li>Region of interest: the rest of the frame is ignored (its map is 0).
 * <li>Fit: {@link Fit#STRETCH} resizes the region to the model's square (the aspect ratio is not
 *     kept); {@link Fit#LETTERBOX} scales it to fit and pads with black; {@link Fit#TILES} cuts it
 *     into square tiles of {@code tile} frame pixels overlapping by {@code overlap} (the last row
 *     and column end flush with the region), each resized to the model's square.
 * </ol>
 *
 * <p>The maps come back on a <em>grid</em> at the model's pixel density: the model map itself
 * for stretch, its unpadded part for letterbox, and for tiles the region scaled by
 * model size / tile, on which each tile's map is laid where the tile was cut, overlaps averaged.
 * The image score is the mean of the top-k grid values with the model's k: every model pixel
 * counts as much whatever the number of tiles, so a defect that fits in one tile scores the same
 * in a frame of 1 or of 12 tiles, and stretch scores exactly as the model alone.
 */
public final class FrameLayout {
    private static final double ASPECT_TOLERANCE = 0.01;

    /** How the region of interest is fitted to the model's square input. */
    public enum Fit {
        STRETCH, LETTERBOX, TILES;

        public static Fit parse(String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fit must be stretch, letterbox or tiles, not '" + text + "'");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A rectangle in pixels. */
    public record Rect(int x, int y, int width, int height) {
        public Rect {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("rectangle " + width + "x" + height + " is empty");
            }
        }
    }

    private final int modelSize;
    private final Rect roi;
    private final Fit fit;
    private final int tile;
    private final int overlap;
    private final int trainedWidth;
    private final int trainedHeight;

    /**
     * @param roi the region of interest in frame pixels, or null for the whole frame
     * @param tile tile side in frame pixels (tiles only)
     * @param overlap overlap of neighbouring tiles in frame pixels, below {@code tile}
     * @param trainedWidth the frame width the model was trained on, or 0 for any frame size
     */
    public FrameLayout(int modelSize, Rect roi, Fit fit, int tile, int overlap, int trainedWidth, int trainedHeight) {
        if (fit == Fit.TILES && (tile <= 0 || overlap < 0 || overlap >= tile)) {
            throw new IllegalArgumentException("tiles need a positive tile size and an overlap below it, got tile "
                    + tile + ", overlap " + overlap);
        }
        if ((roi != null || fit == Fit.TILES) && trainedWidth <= 0) {
            throw new IllegalArgumentException("a region of interest or tiles need the frame size the model was trained on");
        }
        if (roi != null && (roi.x() < 0 || roi.y() < 0 || roi.x() + roi.width() > trainedWidth
                || roi.y() + roi.height() > trainedHeight)) {
            throw new IllegalArgumentException("region of interest " + roi + " leaves the " + trainedWidth + "x"
                    + trainedHeight + " frame");
        }
        this.modelSize = modelSize;
        this.roi = roi;
        this.fit = fit;
        this.tile = tile;
        this.overlap = overlap;
        this.trainedWidth = trainedWidth;
        this.trainedHeight = trainedHeight;
    }

    /** Today's behaviour: the whole frame stretched to the model's square, any frame size. */
    public static FrameLayout stretch(int modelSize) {
        return new FrameLayout(modelSize, null, Fit.STRETCH, 0, 0, 0, 0);
    }

    public Fit fit() {
        return fit;
    }

    /**
     * The frame as the model was trained on it: unchanged, or rescaled to the trained size.
     *
     * @throws IllegalArgumentException for a frame whose aspect ratio differs from the trained one
     */
    public RgbImage conform(RgbImage frame) {
        if (trainedWidth <= 0 || (frame.width() == trainedWidth && frame.height() == trainedHeight)) {
            return frame;
        }
        double aspect = (double) frame.width() / frame.height();
        double trained = (double) trainedWidth / trainedHeight;
        if (Math.abs(aspect / trained - 1) > ASPECT_TOLERANCE) {
            throw new IllegalArgumentException("the frame is " + frame.width() + "x" + frame.height()
                    + " but the model was trained on " + trainedWidth + "x" + trainedHeight
                    + " frames (another aspect ratio; frames of the same ratio are rescaled)");
        }
        return frame.resize(trainedWidth, trainedHeight);
    }

    /** A frame as the model takes it: conformed ({@link #conform}), its plan, and its model inputs. */
    public record Cut(RgbImage frame, Plan plan, List<RgbImage> inputs) {}

    /**
     * Conforms {@code frame} and cuts it into the model's inputs: what training, evaluation and
     * the service all do with a frame.
     *
     * @throws IllegalArgumentException as {@link #conform} does
     */
    public Cut cut(RgbImage frame) {
        RgbImage conformed = conform(frame);
        Plan plan = plan(conformed.width(), conformed.height());
        return new Cut(conformed, plan, plan.inputs(conformed));
    }

    /** The cut of a conformed frame of this size. */
    public Plan plan(int frameWidth, int frameHeight) {
        Rect region = roi != null ? roi : new Rect(0, 0, frameWidth, frameHeight);
        List<Piece> pieces = new ArrayList<>();
        int s = modelSize;
        switch (fit) {
            case STRETCH -> {
                pieces.add(new Piece(region, new Rect(0, 0, s, s), new Rect(0, 0, s, s)));
                return new Plan(frameWidth, frameHeight, region, s, s, pieces, s);
            }
            case LETTERBOX -> {
                double scale = (double) s / Math.max(region.width(), region.height());
                int w = Math.max(1, (int) Math.round(region.width() * scale));
                int h = Math.max(1, (int) Math.round(region.height() * scale));
                Rect content = new Rect((s - w) / 2, (s - h) / 2, w, h);
                pieces.add(new Piece(region, content, new Rect(0, 0, w, h)));
                return new Plan(frameWidth, frameHeight, region, w, h, pieces, s);
            }
            default -> {
                int tileWidth = Math.min(tile, region.width());
                int tileHeight = Math.min(tile, region.height());
                double gx = (double) s / tileWidth;
                double gy = (double) s / tileHeight;
                int gridWidth = Math.max(s, (int) Math.round(region.width() * gx));
                int gridHeight = Math.max(s, (int) Math.round(region.height() * gy));
                for (int y : starts(region.height(), tileHeight, overlap)) {
                    for (int x : starts(region.width(), tileWidth, overlap)) {
                        Rect cut = new Rect(region.x() + x, region.y() + y, tileWidth, tileHeight);
                        Rect cell = new Rect(Math.min((int) Math.round(x * gx), gridWidth - s),
                                Math.min((int) Math.round(y * gy), gridHeight - s), s, s);
                        pieces.add(new Piece(cut, new Rect(0, 0, s, s), cell));
                    }
                }
                return new Plan(frameWidth, frameHeight, region, gridWidth, gridHeight, pieces, s);
            }
        }
    }

    /**
     * A binary mask of a whole frame ({@code width x height}, 1 = defect) cut to {@code region}
     * and resized to a grid of {@code gridWidth x gridHeight}, values 1 where at least half of a
     * grid pixel is defect: the ground truth for a map on that grid.
     */
    public static float[] maskOnGrid(float[] mask, int width, int height, Rect region, int gridWidth, int gridHeight) {
        float[] cut = new float[region.width() * region.height()];
        for (int y = 0; y < region.height(); y++) {
            System.arraycopy(mask, (region.y() + y) * width + region.x(), cut, y * region.width(), region.width());
        }
        float[] grid = Bilinear.resize(cut, 1, region.width(), region.height(), gridWidth, gridHeight);
        for (int i = 0; i < grid.length; i++) {
            grid[i] = grid[i] >= 0.5f ? 1f : 0f;
        }
        return grid;
    }

    /**
     * A ground-truth mask image on a map's grid, the one way both evaluations place it: scaled to
     * the frame's size ({@code frameWidth x frameHeight}, the size {@code region} refers to), 1
     * where it is at least half white ({@link RgbImage#binaryMask}), then {@link #maskOnGrid}.
     */
    public static float[] maskOnGrid(RgbImage mask, int frameWidth, int frameHeight, Rect region, int gridWidth,
            int gridHeight) {
        return maskOnGrid(mask.binaryMask(frameWidth, frameHeight), frameWidth, frameHeight, region, gridWidth, gridHeight);
    }

    /** Tile starts along a side: every {@code tile - overlap}, the last one flush with the end. */
    static List<Integer> starts(int length, int tile, int overlap) {
        List<Integer> starts = new ArrayList<>();
        int stride = tile - overlap;
        for (int p = 0; p + tile < length; p += stride) {
            starts.add(p);
        }
        if (starts.isEmpty() || starts.get(starts.size() - 1) != length - tile) {
            starts.add(length - tile);
        }
        return starts;
    }

    /**
     * One model input: {@code cut} of the frame, drawn on the model's square at {@code content}
     * (the whole square but for letterbox), whose map's {@code content} part lands on the grid
     * at {@code cell} (same size as {@code content}).
     */
    public record Piece(Rect cut, Rect content, Rect cell) {}

    /** The cut of one frame size: its model inputs and how their maps make one grid map. */
    public record Plan(int frameWidth, int frameHeight, Rect region, int gridWidth, int gridHeight, List<Piece> pieces,
            int modelSize) {

        /**
         * What the grid covers, at the grid's size, to show beside the map: {@code frame}
         * (rescaled to this plan's frame size if it is not) cut to the region.
         */
        public RgbImage regionView(RgbImage frame) {
            RgbImage sized = frame.width() == frameWidth && frame.height() == frameHeight ? frame : frame.resize(frameWidth, frameHeight);
            return sized.crop(region.x(), region.y(), region.width(), region.height()).resize(gridWidth, gridHeight);
        }

        /** The model inputs of a conformed frame of this plan's size, in {@link #pieces()} order. */
        public List<RgbImage> inputs(RgbImage frame) {
            if (frame.width() != frameWidth || frame.height() != frameHeight) {
                throw new IllegalArgumentException("the plan is for " + frameWidth + "x" + frameHeight
                        + " frames, not " + frame.width() + "x" + frame.height());
            }
            List<RgbImage> inputs = new ArrayList<>(pieces.size());
            for (Piece p : pieces) {
                Rect cut = p.cut();
                RgbImage part = frame.crop(cut.x(), cut.y(), cut.width(), cut.height());
                Rect content = p.content();
                RgbImage scaled = part.resize(content.width(), content.height());
                inputs.add(content.width() == modelSize && content.height() == modelSize
                        ? scaled : scaled.padTo(modelSize, modelSize, content.x(), content.y()));
            }
            return inputs;
        }

        /** The grid map from the inputs' maps ({@code modelSize x modelSize} each, in piece order); overlaps averaged. */
        public float[] stitch(List<float[]> maps) {
            if (maps.size() != pieces.size()) {
                throw new IllegalArgumentException(maps.size() + " maps for " + pieces.size() + " pieces");
            }
            float[] sum = new float[gridWidth * gridHeight];
            int[] count = new int[sum.length];
            for (int i = 0; i < pieces.size(); i++) {
                Piece p = pieces.get(i);
                float[] map = maps.get(i);
                Rect content = p.content();
                Rect cell = p.cell();
                for (int y = 0; y < content.height(); y++) {
                    for (int x = 0; x < content.width(); x++) {
                        int at = (cell.y() + y) * gridWidth + cell.x() + x;
                        sum[at] += map[(content.y() + y) * modelSize + content.x() + x];
                        count[at]++;
                    }
                }
            }
            for (int i = 0; i < sum.length; i++) {
                sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
            }
            return sum;
        }

        /** A frame's map on the grid and its image score. */
        public record Scored(float[] grid, double score) {}

        /**
         * The frame's grid and score from its inputs' maps (piece order): for stretch, the one map
         * and {@code modelScore}, the backend's own top-k mean of it (exactly as before layouts);
         * otherwise the stitched grid and the mean of its top {@code k} values.
         */
        public Scored score(Fit fit, List<float[]> maps, double modelScore, int k) {
            if (fit == Fit.STRETCH) {
                return new Scored(maps.get(0), modelScore);
            }
            float[] grid = stitch(maps);
            return new Scored(grid, topKMean(grid, k));
        }

        /** Mean of the {@code k} largest grid values (k capped at the grid's size): the image score. */
        public static double topKMean(float[] grid, int k) {
            int kk = Math.min(k, grid.length);
            float[] sorted = grid.clone();
            java.util.Arrays.sort(sorted);
            double sum = 0;
            for (int i = sorted.length - kk; i < sorted.length; i++) {
                sum += sorted[i];
            }
            return sum / kk;
        }

        /** The grid map at the frame's size: the region resized bilinearly, 0 outside it. */
        public float[] toFrame(float[] grid) {
            float[] inRegion = Bilinear.resize(grid, 1, gridWidth, gridHeight, region.width(), region.height());
            if (region.x() == 0 && region.y() == 0 && region.width() == frameWidth && region.height() == frameHeight) {
                return inRegion;
            }
            float[] frame = new float[frameWidth * frameHeight];
            for (int y = 0; y < region.height(); y++) {
                System.arraycopy(inRegion, y * region.width(), frame, (region.y() + y) * frameWidth + region.x(), region.width());
            }
            return frame;
        }
    }
}

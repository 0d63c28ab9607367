package ai.dad.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Gathers per-image inspection results of one category and computes the usual MVTec AD metrics,
 * as percentages (x100): image AUROC ({@link Auroc} of image scores), pixel AUROC ({@link Auroc}
 * of all pixels pooled), pixel AP ({@link AveragePrecision} of all pixels pooled) and pixel
 * AUPRO ({@link Aupro}, FPR up to 0.3 by default).
 *
 * <p>Each is computed overall and per defect type. The subset of a defect type is that type's
 * anomalous images plus all good images (anomalous == false), the usual per-type evaluation;
 * the types are the distinct defect types of the anomalous images.
 *
 * <p>Ground truth: a float mask counts a pixel as defective where its value is >= 0.5 (so 0/1 and
 * 0/255 masks both work); a null mask is an all-good mask for a good image, and no pixel ground
 * truth at all for an anomalous one (OK/NG labels without masks). A null map, or an anomalous
 * image without a mask, makes the pixel metrics of every subset containing that image NaN
 * (image-level only evaluation). Undefined metrics (e.g. no good images, no defective pixels) are
 * NaN.
 *
 * <p>Memory: maps are kept by reference, not copied, so do not modify them after {@code add};
 * masks are kept as booleans (1 byte a pixel). A computation needs about 8 more bytes a pixel of
 * the subset at a time (a whole MVTec category at 256 x 256 is fine). Not thread-safe.
 */
public final class Metrics {
    private final int width;
    private final int height;
    private final double auproLimit;
    private final List<Sample> samples = new ArrayList<>();

    /**
     * One image's result.
     *
     * @param defectType the MVTec defect type, e.g. "good", "broken_large"
     * @param score the image-level anomaly score
     * @param anomalous the ground-truth image label (true = defective)
     * @param map the anomaly map, row-major height x width, or null
     * @param mask the ground-truth mask, row-major height x width, or null for none (all good
     *     for a good image, unknown for an anomalous one)
     */
    public record Sample(String defectType, double score, boolean anomalous, float[] map,
            boolean[] mask) {}

    /**
     * Metrics of one subset, in percent (NaN where undefined).
     *
     * @param images number of images in the subset
     * @param anomalous number of anomalous images among them
     */
    public record Scores(int images, int anomalous, double imageAuroc, double pixelAuroc,
            double pixelAp, double pixelAupro) {
        /** The figures under their JSON keys. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("images", images);
            m.put("anomalous", anomalous);
            m.put("image_auroc", imageAuroc);
            m.put("pixel_auroc", pixelAuroc);
            m.put("pixel_aupro", pixelAupro);
            m.put("pixel_ap", pixelAp);
            return m;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT,
                    "images=%d anomalous=%d image_auroc=%.2f pixel_auroc=%.2f pixel_ap=%.2f"
                            + " pixel_aupro=%.2f",
                    images, anomalous, imageAuroc, pixelAuroc, pixelAp, pixelAupro);
        }
    }

    /**
     * The OK/NG decisions at one threshold ({@code score >= threshold} is NG, as the service
     * decides): how many good images it would reject and how many anomalous ones it would pass.
     */
    public record Decisions(double threshold, int good, int falseNg, int anomalous, int falseOk) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threshold", threshold);
            m.put("good", good);
            m.put("false_ng", falseNg);
            m.put("anomalous", anomalous);
            m.put("false_ok", falseOk);
            return m;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "at threshold %.6f: false NG %d of %d good images, false OK %d of %d"
                    + " anomalous images", threshold, falseNg, good, falseOk, anomalous);
        }
    }

    /**
     * All metrics: overall and per defect type (sorted by name), the decisions at the model's
     * threshold (null for an uncalibrated model), and the defect types whose images have no
     * masks (their pixel metrics, and the overall ones, are NaN).
     */
    public record Report(Scores overall, Map<String, Scores> perDefectType, Decisions atThreshold,
            List<String> typesWithoutMasks) {
        public Report {
            perDefectType = Collections.unmodifiableMap(new TreeMap<>(perDefectType));
            typesWithoutMasks = List.copyOf(typesWithoutMasks);
        }

        /**
         * A fixed-width table ("-" where a metric is undefined): a header, "overall", then one row
         * per defect type; then the decisions at the threshold and which types lack masks.
         */
        public String table() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%-18s %7s %10s %10s %10s %10s%n",
                    "subset", "images", "image_auroc", "pixel_auroc", "pixel_aupro", "pixel_ap"));
            row(s, "overall", overall);
            perDefectType.forEach((type, scores) -> row(s, type, scores));
            if (atThreshold != null) {
                s.append(atThreshold).append(System.lineSeparator());
            }
            if (!typesWithoutMasks.isEmpty()) {
                s.append("no pixel metrics for ").append(String.join(", ", typesWithoutMasks))
                        .append(": pixel metrics need masks (ground_truth/<type>/<name>_mask.png)")
                        .append(System.lineSeparator());
            }
            return s.toString();
        }

        /**
         * The figures for JSON (percentages): the overall ones at the top level, each defect
         * type's under {@code per_defect_type}, the decisions under {@code at_threshold} (when
         * there is a threshold) and {@code types_without_masks}. Both {@code dad eval} and
         * {@code dad-client eval} write exactly these keys.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> root = overall.toMap();
            Map<String, Object> perType = new LinkedHashMap<>();
            perDefectType.forEach((type, scores) -> perType.put(type, scores.toMap()));
            root.put("per_defect_type", perType);
            if (atThreshold != null) {
                root.put("at_threshold", atThreshold.toMap());
            }
            root.put("types_without_masks", typesWithoutMasks);
            return root;
        }

        private static void row(StringBuilder s, String name, Scores m) {
            s.append(String.format(Locale.ROOT, "%-18s %7d %10s %10s %10s %10s%n", name, m.images(),
                    cell(m.imageAuroc()), cell(m.pixelAuroc()), cell(m.pixelAupro()), cell(m.pixelAp())));
        }

        private static String cell(double value) {
            return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
        }

        /** One line per subset: "overall" first, then each defect type. */
        @Override
        public String toString() {
            StringBuilder out = new StringBuilder("overall: ").append(overall);
            perDefectType.forEach(
                    (type, scores) -> out.append('\n').append(type).append(": ").append(scores));
            return out.toString();
        }
    }

    /** Metrics for maps of {@code width x height} pixels, AUPRO up to FPR 0.3. */
    public Metrics(int width, int height) {
        this(width, height, Aupro.DEFAULT_LIMIT);
    }

    /** Metrics for maps of {@code width x height} pixels, AUPRO up to FPR {@code auproLimit}. */
    public Metrics(int width, int height, double auproLimit) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad size " + width + " x " + height);
        }
        if (!(auproLimit > 0 && auproLimit <= 1)) {
            throw new IllegalArgumentException("AUPRO limit must be in (0, 1]: " + auproLimit);
        }
        this.width = width;
        this.height = height;
        this.auproLimit = auproLimit;
    }

    /** Adds an image whose mask is given as floats (defective where >= 0.5), or null. */
    public Metrics add(String defectType, double score, boolean anomalous, float[] map,
            float[] mask) {
        boolean[] binary = null;
        if (mask != null) {
            binary = new boolean[mask.length];
            for (int i = 0; i < mask.length; i++) {
                binary[i] = mask[i] >= 0.5f;
            }
        }
        return add(defectType, score, anomalous, map, binary);
    }

    /** Adds an image whose mask is given as booleans (true = defective), or null. */
    public Metrics add(String defectType, double score, boolean anomalous, float[] map,
            boolean[] mask) {
        return add(new Sample(defectType, score, anomalous, map, mask));
    }

    /** Adds one image's result. */
    public Metrics add(Sample sample) {
        int pixels = width * height;
        if (sample.defectType() == null) {
            throw new IllegalArgumentException("defect type is null");
        }
        if (sample.map() != null && sample.map().length != pixels) {
            throw new IllegalArgumentException("map of " + sample.map().length
                    + " pixels, expected " + width + " x " + height);
        }
        if (sample.mask() != null && sample.mask().length != pixels) {
            throw new IllegalArgumentException("mask of " + sample.mask().length
                    + " pixels, expected " + width + " x " + height);
        }
        if (Double.isNaN(sample.score())) {
            throw new IllegalArgumentException("NaN image score");
        }
        samples.add(sample);
        return this;
    }

    /** The images added so far. */
    public List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    /** Computes the metrics, overall and per defect type, without a threshold. */
    public Report compute() {
        return compute(null);
    }

    /** Computes the metrics, overall and per defect type, and the decisions at {@code threshold} (null: none). */
    public Report compute(Double threshold) {
        Map<String, Scores> perType = new TreeMap<>();
        for (Sample s : samples) {
            if (s.anomalous() && !perType.containsKey(s.defectType())) {
                List<Sample> subset = new ArrayList<>();
                for (Sample t : samples) {
                    if (!t.anomalous() || t.defectType().equals(s.defectType())) {
                        subset.add(t);
                    }
                }
                perType.put(s.defectType(), scores(subset));
            }
        }
        Set<String> withoutMasks = new TreeSet<>();
        for (Sample s : samples) {
            if (s.anomalous() && s.mask() == null) {
                withoutMasks.add(s.defectType());
            }
        }
        return new Report(scores(samples), perType, threshold == null ? null : decisions(threshold),
                List.copyOf(withoutMasks));
    }

    private Decisions decisions(double threshold) {
        int good = 0;
        int falseNg = 0;
        int falseOk = 0;
        for (Sample s : samples) {
            boolean ng = s.score() >= threshold;
            if (s.anomalous()) {
                falseOk += ng ? 0 : 1;
            } else {
                good++;
                falseNg += ng ? 1 : 0;
            }
        }
        return new Decisions(threshold, good, falseNg, samples.size() - good, falseOk);
    }

    private Scores scores(List<Sample> subset) {
        int n = subset.size();
        double[] imageScores = new double[n];
        boolean[] labels = new boolean[n];
        List<float[]> maps = new ArrayList<>(n);
        List<boolean[]> masks = new ArrayList<>(n);
        int anomalous = 0;
        boolean pixelTruth = true;
        for (int i = 0; i < n; i++) {
            Sample s = subset.get(i);
            imageScores[i] = s.score();
            labels[i] = s.anomalous();
            anomalous += s.anomalous() ? 1 : 0;
            pixelTruth &= s.map() != null && (s.mask() != null || !s.anomalous());
            maps.add(s.map());
            masks.add(s.mask());
        }
        double imageAuroc = Auroc.compute(imageScores, labels);
        double pixelAuroc = Double.NaN;
        double pixelAp = Double.NaN;
        double pixelAupro = Double.NaN;
        if (pixelTruth && n > 0) {
            SplitScores pixels = SplitScores.ofMaps(maps, masks);
            pixelAuroc = Auroc.of(pixels);
            pixelAp = AveragePrecision.of(pixels);
            pixels = null; // let the sorted copy go before AUPRO allocates its own
            pixelAupro = Aupro.compute(maps, masks, width, height, auproLimit);
        }
        return new Scores(n, anomalous, 100 * imageAuroc, 100 * pixelAuroc, 100 * pixelAp,
                100 * pixelAupro);
    }
}

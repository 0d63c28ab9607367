package ai.dad.toolkit.train;

import ai.dad.djl.BlockNetworks;
import ai.dad.djl.diffusion.Reconstructor;
import ai.dad.spi.NoiseSchedule;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

/**
 * One optimisation step of DiffusionAD at a time: norm-guided one-step denoising of the batch
 * (with per-sample t_s, t_b), the segmentation net on [image, reconstruction], and
 * loss = noise MSE over clean samples + 5 focal(0.5, 4) + smooth L1, with one Adam per network.
 * The reconstruction is not detached, so the segmentation loss also trains the U-Net.
 */
public final class Trainer {
    private static final double FOCAL_WEIGHT = 5;

    private final BlockNetworks nets;
    private final NoiseSchedule schedule;
    private final double w;
    private final Optimizer unetOptimizer;
    private final Optimizer segOptimizer;

    /** Learning rates are schedules ({@link LearningRate}); {@code Tracker.fixed} for a constant rate. */
    public Trainer(BlockNetworks nets, NoiseSchedule schedule, double w, Tracker unetLr, Tracker segLr) {
        this.nets = nets;
        this.schedule = schedule;
        this.w = w;
        this.unetOptimizer = Optimizer.adam().optLearningRateTracker(unetLr).build();
        this.segOptimizer = Optimizer.adam().optLearningRateTracker(segLr).build();
        nets.freeze(false);
    }

    /**
     * The loss terms of one step, and where its time went: the forward pass (both networks and
     * the losses), the backward pass and the two optimisers' updates, in nanoseconds.
     */
    public record StepLoss(double total, double noise, double focal, double smoothL1, int anomalous,
            long forwardNanos, long backwardNanos, long updateNanos) {}

    /** Runs forward, backward and the parameter update for {@code batch}. */
    public StepLoss step(NDManager parent, Batch batch) {
        try (NDManager m = parent.newSubManager()) {
            int n = batch.size();
            int s = batch.imageSize();
            Shape imageShape = new Shape(n, 3, s, s);
            NDArray x = m.create(batch.images(), imageShape);
            NDArray masks = m.create(batch.masks(), new Shape(n, 1, s, s));
            NDArray clean = m.create(batch.clean());
            NDArray n1 = m.create(batch.noiseSmall(), imageShape);
            NDArray n2 = m.create(batch.noiseBig(), imageShape);
            long begin = System.nanoTime();
            long forwardEnd;
            long backwardEnd;
            double[] values;
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                ParameterStore ps = new ParameterStore(m, false);
                Reconstructor reconstructor = new Reconstructor(schedule,
                        (xt, t) -> nets.unet().forward(ps, new NDList(xt, t), true).singletonOrThrow());
                Reconstructor.NormGuided ng = reconstructor.normGuided(x, batch.tSmall(), batch.tBig(), w, n1, n2);
                NDArray map = nets.seg().forward(ps, new NDList(x.concat(ng.reconstruction(), 1)), true).singletonOrThrow();
                NDArray noise = Losses.noise(ng.epsSmall(), n1, ng.epsBig(), n2, clean);
                NDArray focal = Losses.focal(map, masks, 0.5, 4);
                NDArray smoothL1 = Losses.smoothL1(map, masks);
                NDArray total = noise.add(focal.mul(FOCAL_WEIGHT)).add(smoothL1);
                values = new double[] {value(total), value(noise), value(focal), value(smoothL1)};
                forwardEnd = System.nanoTime();
                collector.backward(total);
                backwardEnd = System.nanoTime();
            }
            update(unetOptimizer, nets.unet());
            update(segOptimizer, nets.seg());
            return new StepLoss(values[0], values[1], values[2], values[3], batch.anomalous(),
                    forwardEnd - begin, backwardEnd - forwardEnd, System.nanoTime() - backwardEnd);
        }
    }

    /** Scalar losses mix float32 and float64 (0-d tensors promote), so read them as double. */
    private static double value(NDArray scalar) {
        return scalar.toType(DataType.FLOAT64, false).getDouble();
    }

    private static void update(Optimizer optimizer, Block block) {
        for (Pair<String, Parameter> entry : block.getParameters()) {
            Parameter parameter = entry.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            try (NDArray gradient = weight.getGradient()) {
                optimizer.update(parameter.getId(), weight, gradient);
                gradient.subi(gradient); // PyTorch accumulates gradients: clear them for the next step
            }
        }
    }
}

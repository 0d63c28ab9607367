package ai.dad.djl.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dad.djl.TestModels;
import ai.dad.djl.schedule.LinearScheduleProvider;
import ai.dad.spi.NoiseSchedule;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.ReconstructionSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconstruction maths against hand computation, with a fixed stand-in network. */
class ReconstructorTest {
    private static final NoiseSchedule LINEAR = new LinearScheduleProvider().create(1000, Map.of());

    private NDManager manager;
    private final List<long[]> calls = new ArrayList<>();

    /** eps(x, t) = 0.3 x + 0.5 t / 1000: simple enough to compute by hand, and t-dependent. */
    private final Denoiser linear = (x, t) -> {
        calls.add(t.toLongArray());
        long n = t.getShape().get(0);
        return x.mul(0.3).add(t.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).div(2000).reshape(n, 1, 1, 1));
    };

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager("PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void normGuidedFollowsTheSixStepsInOneBatchedCall() {
        for (double w : new double[] {1.0, 0.5}) {
            calls.clear();
            NDArray x = TestModels.images(manager, 2, 8, 1);
            NDArray n1 = TestModels.images(manager, 2, 8, 2).sub(0.5).mul(4);
            NDArray n2 = TestModels.images(manager, 2, 8, 3).sub(0.5).mul(4);
            NDArray out = new Reconstructor(LINEAR, linear)
                    .reconstruct(x, ReconstructionSpec.normGuided(200, 400, w), NoiseSource.supplied(List.of(n1, n2)));

            float[] xs = x.toFloatArray();
            float[] a = n1.toFloatArray();
            float[] b = n2.toFloatArray();
            float[] got = out.toFloatArray();
            for (int i = 0; i < xs.length; i++) {
                assertEquals(byHand(xs[i], a[i], b[i], w), got[i], 2e-5, "element " + i + " at w=" + w);
            }
            assertEquals(1, calls.size(), "both scales must go through the network in one call");
            assertArrayEquals(new long[] {200, 200, 400, 400}, calls.get(0));
        }
    }

    private static double byHand(double x, double n1, double n2, double w) {
        double as = LINEAR.alphaBar(200);
        double ab = LINEAR.alphaBar(400);
        double xs = Math.sqrt(as) * x + Math.sqrt(1 - as) * n1;
        double xb = Math.sqrt(ab) * x + Math.sqrt(1 - ab) * n2;
        double es = 0.3 * xs + 0.5 * 200 / 1000;
        double eb = 0.3 * xb + 0.5 * 400 / 1000;
        double x0b = clamp((xb - Math.sqrt(1 - ab) * eb) / Math.sqrt(ab));
        double m = Math.sqrt(as) * x0b + Math.sqrt(1 - as) * es;
        double guided = es - Math.sqrt(1 - as) * w * (m - xs);
        return clamp((xs - Math.sqrt(1 - as) * guided) / Math.sqrt(as));
    }

    private static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }

    @Test
    void oneStepMatchesHandComputation() {
        NDArray x = TestModels.images(manager, 1, 4, 5);
        NDArray n = TestModels.images(manager, 1, 4, 6).sub(0.5);
        float[] got = new Reconstructor(LINEAR, linear)
                .reconstruct(x, ReconstructionSpec.oneStep(300), NoiseSource.supplied(List.of(n))).toFloatArray();
        float[] xs = x.toFloatArray();
        float[] ns = n.toFloatArray();
        double ab = LINEAR.alphaBar(300);
        for (int i = 0; i < xs.length; i++) {
            double xt = Math.sqrt(ab) * xs[i] + Math.sqrt(1 - ab) * ns[i];
            double eps = 0.3 * xt + 0.15;
            assertEquals(clamp((xt - Math.sqrt(1 - ab) * eps) / Math.sqrt(ab)), got[i], 2e-5);
        }
        assertArrayEquals(new long[] {300}, calls.get(0));
    }

    @Test
    void estimatesAreClampedToMinusOneOne() {
        Denoiser wild = (x, t) -> x.zerosLike().sub(50);
        NDArray x = TestModels.images(manager, 2, 4, 7);
        for (ReconstructionSpec spec : List.of(ReconstructionSpec.oneStep(200), ReconstructionSpec.normGuided(200, 400, 1))) {
            float[] got = new Reconstructor(LINEAR, wild).reconstruct(x, spec, NoiseSource.seeded(1)).toFloatArray();
            for (float v : got) {
                assertEquals(1.0f, v, "estimate must be clamped for " + spec.mode());
            }
        }
        Denoiser opposite = (x2, t) -> x2.zerosLike().add(50);
        float[] low = new Reconstructor(LINEAR, opposite).reconstruct(x, ReconstructionSpec.oneStep(200), NoiseSource.seeded(1)).toFloatArray();
        for (float v : low) {
            assertEquals(-1.0f, v);
        }
    }

    @Test
    void ddpmWalksEveryStepDownToZero() {
        NDArray x = TestModels.images(manager, 2, 4, 8);
        NDArray out = new Reconstructor(LINEAR, linear).reconstruct(x, ReconstructionSpec.ddpm(5), NoiseSource.seeded(3));
        assertEquals(x.getShape(), out.getShape());
        assertEquals(5, calls.size());
        long[] seen = calls.stream().mapToLong(t -> t[0]).toArray();
        assertArrayEquals(new long[] {4, 3, 2, 1, 0}, seen);
    }

    @Test
    void ddimTakesKEvenlySpacedSteps() {
        NDArray x = TestModels.images(manager, 1, 4, 9);
        new Reconstructor(LINEAR, linear).reconstruct(x, ReconstructionSpec.ddim(400, 4), NoiseSource.seeded(3));
        assertArrayEquals(new long[] {400, 300, 200, 100}, calls.stream().mapToLong(t -> t[0]).toArray());
        assertArrayEquals(new int[] {10, 7, 3}, Reconstructor.ddimTimesteps(10, 3));
    }

    @Test
    void seededNoiseIsReproducibleAndIndependentOfTheBatch() {
        NDArray batch = TestModels.images(manager, 3, 8, 10);
        Reconstructor r = new Reconstructor(LINEAR, linear);
        ReconstructionSpec spec = ReconstructionSpec.normGuided(200, 400, 1);
        float[] first = r.reconstruct(batch, spec, NoiseSource.seeded(42)).toFloatArray();
        float[] again = r.reconstruct(batch, spec, NoiseSource.seeded(42)).toFloatArray();
        assertArrayEquals(first, again);
        float[] alone = r.reconstruct(batch.get("1:2"), spec, NoiseSource.seeded(42)).toFloatArray();
        float[] inBatch = java.util.Arrays.copyOfRange(first, alone.length, 2 * alone.length);
        assertArrayEquals(alone, inBatch, 1e-6f);
    }
}

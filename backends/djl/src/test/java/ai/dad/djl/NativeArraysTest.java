package ai.dad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.ScoredBatch;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.ReconstructionSpec;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/**
 * Native memory discipline: a call leaves in the caller's manager only its inputs and outputs
 * (every block frees its intermediates), however many U-Net calls it makes, and the cached
 * seeded noise is value for value the seeded source's.
 */
class NativeArraysTest {

    @Test
    void theStagesLeaveOnlyTheirInputAndOutputsInTheCallersManager() {
        try (NDManager root = NDManager.newBaseManager("PyTorch"); DjlInspectionBackend backend = open(root)) {
            try (NDManager call = backend.manager().newSubManager()) {
                NDArray x = TestModels.images(call, 2, 32, 1);
                NDArray map = backend.segment(x, backend.reconstruct(x, backend.manifest().inference.spec(), backend.seededNoise()));
                assertEquals(new Shape(2), backend.fuse(map).getShape());
                // input, reconstruction, map, scores
                assertEquals(4, call.getManagedArrays().size(), "arrays left by the stages: " + call.getManagedArrays());
            }
        }
    }

    @Test
    void inspectingPixelsLeavesNoArrayBehind() {
        try (NDManager root = NDManager.newBaseManager("PyTorch"); DjlInspectionBackend backend = open(root)) {
            int before = root.getManagedArrays().size();
            ScoredBatch scored = backend.inspect(TestModels.pixels(2, 32, 1));
            assertEquals(2, scored.count());
            assertEquals(before, root.getManagedArrays().size(), "arrays left by inspect: " + root.getManagedArrays());
        }
    }

    @Test
    void iterativeReconstructionDoesNotAccumulateArrays() {
        try (NDManager root = NDManager.newBaseManager("PyTorch"); DjlInspectionBackend backend = open(root)) {
            for (ReconstructionSpec spec : new ReconstructionSpec[] {ReconstructionSpec.ddpm(30), ReconstructionSpec.ddim(30, 5)}) {
                try (NDManager call = backend.manager().newSubManager()) {
                    NDArray x = TestModels.images(call, 1, 32, 2);
                    backend.reconstruct(x, spec, backend.seededNoise());
                    assertEquals(2, call.getManagedArrays().size(), spec + " left " + call.getManagedArrays());
                }
            }
        }
    }

    @Test
    void cachedSeededNoiseEqualsTheSeededSource() {
        NoiseSource seeded = NoiseSource.seeded(11);
        CachedSeededNoise cached = new CachedSeededNoise(11);
        Shape image = new Shape(3, 16, 16);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            for (int batch : new int[] {1, 3, 1}) {
                for (int draw = 0; draw < 4; draw++) {
                    float[] expected = seeded.draw(manager, batch, image, draw).toFloatArray();
                    float[] actual = cached.draw(manager, batch, image, draw).toFloatArray();
                    assertArrayEquals(expected, actual, "batch " + batch + ", draw " + draw);
                }
            }
        }
    }

    @Test
    void mallocTuningReportsWhatItDid() {
        String state = NativeMemory.tune();
        assertTrue(state.startsWith("tuned") || state.startsWith("left alone"), state);
        assertEquals(state, NativeMemory.tune(), "applied once per JVM");
    }

    private static DjlInspectionBackend open(NDManager root) {
        ModelManifest manifest = TestModels.micro();
        Plugins plugins = Plugins.fromClassPath();
        NDManager manager = root.newSubManager();
        BlockNetworks nets = BlockNetworks.create(manifest, plugins, manager, 3);
        return new DjlInspectionBackend(manifest, DjlBackendProvider.schedule(manifest, plugins), nets, manager.newSubManager());
    }
}

package ai.dad.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.PixelBatch;
import ai.dad.spi.ReconstructionSpec;
import ai.dad.spi.ScoredBatch;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models in both weight formats run through reconstruct, segment and fuse; saving loses nothing. */
class BackendStagesTest {
    private static final Map<String, String> CPU = Map.of("device", "cpu");

    @TempDir
    Path temp;

    @Test
    void savedModelGivesIdenticalResultsAfterLoading() throws IOException {
        ModelManifest manifest = TestModels.micro();
        Path dir = temp.resolve("micro");
        Plugins plugins = Plugins.fromClassPath();
        float[] before;
        float[] mapBefore;
        try (NDManager root = NDManager.newBaseManager("PyTorch");
                BlockNetworks nets = BlockNetworks.create(manifest, plugins, root, 7);
                InspectionBackend inMemory = new DjlInspectionBackend(manifest,
                        DjlBackendProvider.schedule(manifest, plugins), nets, root.newSubManager())) {
            nets.save(dir, manifest);
            manifest.write(dir);
            ScoredBatch result = inMemory.inspect(TestModels.pixels(2, 32, 1));
            before = result.scores();
            mapBefore = result.maps();
        }
        assertEquals(manifest.toJson(), ModelManifest.read(dir).toJson(), "manifest round trip");
        try (InspectionBackend loaded = new DjlBackendProvider().open(dir, plugins, CPU)) {
            ScoredBatch result = loaded.inspect(TestModels.pixels(2, 32, 1));
            assertArrayEquals(before, result.scores(), "scores after save and load");
            assertArrayEquals(mapBefore, result.maps(), "maps after save and load");
        }
    }

    @Test
    void torchScriptModelMatchesPyTorchAndRunsTheStages() throws IOException {
        Path dir = copyFixture();
        Map<?, ?> expected = new com.google.gson.Gson().fromJson(Files.readString(dir.resolve("expected.json")), Map.class);
        try (InspectionBackend backend = new DjlBackendProvider().open(dir, Plugins.fromClassPath(), CPU);
                NDManager call = backend.manager().newSubManager()) {
            NDArray x = fixtureInput(call);
            Networks nets = ((DjlInspectionBackend) backend).networks();
            NDArray eps = nets.predictNoise(x, call.create(new long[] {200, 400}));
            assertClose(expected, "eps", eps);
            NDArray seg = nets.segment(x.concat(x.flip(3), 1));
            assertClose(expected, "seg", seg);

            ScoredBatch result = backend.inspect(new PixelBatch(x.toFloatArray(), 2, 32), backend.manifest().inference.spec(),
                    backend.seededNoise(), true);
            assertEquals(2 * 3 * 32 * 32, result.reconstructions().length);
            assertEquals(2 * 32 * 32, result.maps().length);
            assertEquals(2, result.count());
        }
    }

    @Test
    void djlParameterModelOfTheFixtureArchitectureRunsTheStages() throws IOException {
        ModelManifest manifest = ModelManifest.read(copyFixture());
        manifest.weights = new ModelManifest.Weights();
        Path dir = temp.resolve("djl-fixture");
        try (NDManager root = NDManager.newBaseManager("PyTorch");
                BlockNetworks nets = BlockNetworks.create(manifest, Plugins.fromClassPath(), root, 1)) {
            nets.save(dir, manifest);
        }
        manifest.write(dir);
        try (InspectionBackend backend = new DjlBackendProvider().open(dir, Plugins.fromClassPath(), CPU);
                NDManager call = backend.manager().newSubManager()) {
            ScoredBatch result = backend.inspect(new PixelBatch(fixtureInput(call).toFloatArray(), 2, 32));
            for (float v : result.maps()) {
                assertTrue(v >= 0 && v <= 1, "map values are probabilities");
            }
            assertEquals(2, result.count());
        }
    }

    @Test
    void everyReconstructionModeRunsThroughTheBackend() throws IOException {
        try (InspectionBackend backend = new DjlBackendProvider().open(copyFixture(), Plugins.fromClassPath(), CPU);
                NDManager call = backend.manager().newSubManager()) {
            NDArray x = fixtureInput(call);
            for (ReconstructionSpec spec : new ReconstructionSpec[] {ReconstructionSpec.oneStep(200),
                    ReconstructionSpec.normGuided(200, 400, 1), ReconstructionSpec.ddpm(3), ReconstructionSpec.ddim(400, 5)}) {
                NDArray rec = backend.reconstruct(x, spec, NoiseSource.seeded(1));
                assertEquals(x.getShape(), rec.getShape(), spec.mode().label());
                assertTrue(rec.max().getFloat() <= 1 && rec.min().getFloat() >= -1, spec.mode().label());
            }
            IllegalArgumentException wrongSize = assertThrows(IllegalArgumentException.class,
                    () -> backend.reconstruct(call.zeros(new Shape(1, 3, 16, 16)), ReconstructionSpec.oneStep(1), NoiseSource.seeded(1)));
            assertTrue(wrongSize.getMessage().contains("32"), wrongSize.getMessage());
        }
    }

    @Test
    void sameImageGivesTheSameScoreAloneOrInABatch() throws IOException {
        try (InspectionBackend backend = new DjlBackendProvider().open(copyFixture(), Plugins.fromClassPath(), CPU)) {
            PixelBatch batch = TestModels.pixels(3, 32, 5);
            float[] scores = backend.inspect(batch).scores();
            assertArrayEquals(scores, backend.inspect(batch).scores(), "repeatable");
            int plane = 3 * 32 * 32;
            float alone = backend.inspect(new PixelBatch(Arrays.copyOfRange(batch.pixels(), 2 * plane, 3 * plane), 1, 32)).scores()[0];
            assertEquals(scores[2], alone, 1e-5);
        }
    }

    @Test
    void fuseIsTheMeanOfTheTopKValues() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray maps = m.arange(32f).reshape(2, 1, 4, 4);
            assertArrayEquals(new float[] {14f, 30f}, DjlInspectionBackend.topKMean(maps, 3).toFloatArray());
            NDArray ties = m.create(new float[] {1, 1, 1, 0}).reshape(1, 1, 2, 2);
            assertArrayEquals(new float[] {1f}, DjlInspectionBackend.topKMean(ties, 2).toFloatArray());
            assertArrayEquals(new float[] {0.75f}, DjlInspectionBackend.topKMean(ties, 50).toFloatArray(), "k above the map size");
        }
    }

    private Path copyFixture() throws IOException {
        Path source = Path.of("target/test-classes/torchscript");
        Path dir = temp.resolve("torchscript");
        Files.createDirectories(dir);
        for (String name : new String[] {"manifest.json", "unet.pt", "seg.pt", "expected.json"}) {
            Files.copy(source.resolve(name), dir.resolve(name));
        }
        return dir;
    }

    /** The input make_fixture.py describes: 0.5 + 0.5 sin(0.1 i), rounded to float32. */
    private static NDArray fixtureInput(NDManager manager) {
        float[] x = new float[2 * 3 * 32 * 32];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 + 0.5 * Math.sin(0.1 * i));
        }
        return manager.create(x, new Shape(2, 3, 32, 32));
    }

    private static void assertClose(Map<?, ?> expected, String name, NDArray actual) {
        float[] values = actual.toFloatArray();
        java.util.List<?> first = (java.util.List<?>) expected.get(name + "_first");
        for (int i = 0; i < first.size(); i++) {
            assertEquals(((Number) first.get(i)).doubleValue(), values[i], 1e-5, name + "[" + i + "]");
        }
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        assertEquals(((Number) expected.get(name + "_sum")).doubleValue(), sum, 1e-3, name + " sum");
    }
}

package ai.dad.toolkit.official;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.djl.DjlBackendProvider;
import ai.dad.djl.DjlInspectionBackend;
import ai.dad.djl.diffusion.Reconstructor;
import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.NoiseSource;
import ai.dad.spi.ReconstructionMode;
import ai.dad.spi.ReconstructionSpec;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints written by the official code (src/test/resources/official, README there) import
 * into native networks that compute what the official ones computed on the same inputs and
 * noise: U-Net outputs, reconstructions (norm-guided and one-step), maps and top-50 scores
 * within 1e-4. More fixture folders made by make_fixture.py (larger architectures) can be
 * added with {@code -Ddad.official.fixtures=DIR,DIR}.
 */
class OfficialImportTest {
    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path temp;

    static Stream<Path> fixtures() throws URISyntaxException {
        List<Path> dirs = new ArrayList<>();
        Path root = Path.of(OfficialImportTest.class.getResource("/official").toURI());
        dirs.add(root.resolve("reference"));
        dirs.add(root.resolve("heads"));
        String extra = System.getProperty("dad.official.fixtures", "");
        for (String dir : extra.split(",")) {
            if (!dir.isBlank()) {
                dirs.add(Path.of(dir.trim()));
            }
        }
        return dirs.stream();
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void importedNetworksComputeWhatTheOfficialOnesComputed(Path fixture) throws IOException {
        Path model = temp.resolve("model");
        OfficialImport.Result result = OfficialImport.run(fixture.resolve("params-best.pt"), null, model, Plugins.fromClassPath());
        assertTrue(result.tensors() > 0);
        ModelManifest manifest = result.manifest();
        assertEquals("norm-guided", manifest.inference.mode);
        assertEquals(50, manifest.inference.topK);

        try (InspectionBackend backend = new DjlBackendProvider().open(model, Plugins.fromClassPath(), Map.of("device", "cpu"));
                NDManager call = backend.manager().newSubManager()) {
            NDArray x = read(call, fixture, "input_x");
            NDArray ns = read(call, fixture, "noise_ts");
            NDArray nb = read(call, fixture, "noise_tb");
            int ts = manifest.inference.tSmall;
            int tb = manifest.inference.tBig;
            DjlInspectionBackend djl = (DjlInspectionBackend) backend;
            Reconstructor r = djl.reconstructor();
            long n = x.getShape().get(0);
            assertClose(fixture, "eps_ts", djl.networks().predictNoise(r.addNoise(x, ts, ns), timesteps(call, n, ts)));
            assertClose(fixture, "eps_tb", djl.networks().predictNoise(r.addNoise(x, tb, nb), timesteps(call, n, tb)));

            NDArray guided = backend.reconstruct(x, manifest.inference.spec(), NoiseSource.supplied(List.of(ns, nb)));
            assertClose(fixture, "recon_norm_guided", guided);
            NDArray map = backend.segment(x, guided);
            assertClose(fixture, "anomaly_map", map);
            assertClose(fixture, "image_score_top50", backend.fuse(map));

            ReconstructionSpec oneStep = new ReconstructionSpec(ReconstructionMode.ONE_STEP, ts, ts, 0, 0);
            NDArray single = backend.reconstruct(x, oneStep, NoiseSource.supplied(List.of(ns)));
            assertClose(fixture, "recon_one_step", single);
            if (Files.exists(fixture.resolve("anomaly_map_one_step.npy"))) {
                NDArray singleMap = backend.segment(x, single);
                assertClose(fixture, "anomaly_map_one_step", singleMap);
                assertClose(fixture, "image_score_top50_one_step", backend.fuse(singleMap));
            }
        }
    }

    private static NDArray timesteps(NDManager manager, long n, int t) {
        long[] all = new long[Math.toIntExact(n)];
        Arrays.fill(all, t);
        return manager.create(all);
    }

    private static NDArray read(NDManager manager, Path fixture, String name) throws IOException {
        return NDList.decode(manager, Files.readAllBytes(fixture.resolve(name + ".npy"))).singletonOrThrow();
    }

    private static void assertClose(Path fixture, String name, NDArray actual) throws IOException {
        try (NDManager scratch = actual.getManager().newSubManager()) {
            NDArray expected = read(scratch, fixture, name);
            assertEquals(expected.getShape().size(), actual.getShape().size(), name + " size");
            float[] want = expected.toFloatArray();
            float[] got = actual.toFloatArray();
            double worst = 0;
            for (int i = 0; i < want.length; i++) {
                worst = Math.max(worst, Math.abs(want[i] - got[i]));
            }
            // The figures docs/IMPORT.md reports (target/surefire-reports/*-output.txt).
            System.out.printf(java.util.Locale.ROOT, "official parity: %s %s max |difference| %.2e%n", fixture.getFileName(), name, worst);
            assertTrue(worst <= TOLERANCE, fixture.getFileName() + " " + name + ": max |difference| " + worst
                    + " > " + TOLERANCE + " (first values " + Arrays.toString(Arrays.copyOf(got, 3)) + " vs "
                    + Arrays.toString(Arrays.copyOf(want, 3)) + ")");
        }
    }
}

package ai.dad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.spi.InspectionBackend;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lower-precision networks: what is refused where, and how close the scores stay. */
class PrecisionTest {
    private static final Path DEMO_MODEL = Path.of("../../models/demo");

    @Test
    void fp16NetworksScoreTheDemoModelCloseToFp32() throws Exception {
        float[] fp32 = scores(Precision.FP32);
        float[] fp16 = scores(Precision.FP16);
        for (int i = 0; i < fp32.length; i++) {
            assertEquals(fp32[i], fp16[i], 0.01, "score " + i);
        }
    }

    @Test
    void unsupportedPrecisionsAreRefusedWithTheReason() {
        IllegalArgumentException fp16 = assertThrows(IllegalArgumentException.class, () -> new DjlBackendProvider()
                .open(DEMO_MODEL, Plugins.fromClassPath(), Map.of("device", "cpu", "precision", "fp16")));
        assertTrue(fp16.getMessage().contains("GPUs only"), fp16.getMessage());
        IllegalArgumentException bf16 = assertThrows(IllegalArgumentException.class,
                () -> Precision.BF16.requireSupportedOn(Device.cpu()));
        assertTrue(bf16.getMessage().contains("bfloat16"), bf16.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Precision.parse("int8"));
    }

    /** The demo model's scores on three images with its networks in {@code precision} (on the CPU, whatever the check says). */
    private static float[] scores(Precision precision) throws Exception {
        Plugins plugins = Plugins.fromClassPath();
        ModelManifest manifest = ModelManifest.read(DEMO_MODEL);
        try (NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch");
                BlockNetworks nets = BlockNetworks.load(DEMO_MODEL, manifest, plugins, root);
                InspectionBackend backend = new DjlInspectionBackend(manifest, DjlBackendProvider.schedule(manifest, plugins),
                        nets, root.newSubManager())) {
            nets.usePrecision(precision);
            return backend.inspect(TestModels.pixels(3, 64, 3)).scores();
        }
    }
}

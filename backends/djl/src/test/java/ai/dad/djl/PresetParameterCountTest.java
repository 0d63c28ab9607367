package ai.dad.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ported architecture has exactly the reference's trainable parameters at its three sizes,
 * and the demo preset (this project's own, segmentation base 16) the README's.
 */
class PresetParameterCountTest {

    @ParameterizedTest
    @CsvSource({"paper, 131654403, 28373569", "small, 6187043, 28373569", "tiny, 5806499, 28373569", "demo, 1263779, 1778065"})
    void matchesReference(String preset, long unetParams, long segParams) {
        ModelManifest manifest = Presets.manifest(preset);
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                BlockNetworks nets = BlockNetworks.create(manifest, Plugins.fromClassPath(), manager, 0)) {
            assertEquals(unetParams, BlockNetworks.trainableParameters(nets.unet()), "U-Net parameters");
            assertEquals(segParams, BlockNetworks.trainableParameters(nets.seg()), "segmentation parameters");
        }
    }
}

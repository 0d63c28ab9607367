package ai.dad.djl.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.djl.BlockNetworks;
import ai.dad.djl.Presets;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fresh networks start as PyTorch starts its layers, as the official networks do. */
class TorchDefaultInitTest {
    private static final ModelManifest TINY = Presets.manifest("tiny");

    static {
        TINY.architecture.segBase = 16;
    }

    /** One layer's weight and bias (null if it has none). */
    private record Layer(String name, NDArray weight, NDArray bias) {}

    @Test
    void weightsAndBiasesAreUniformWithinOneOverRootFanIn() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                BlockNetworks nets = BlockNetworks.create(TINY, Plugins.fromClassPath(), manager, 1)) {
            List<Layer> layers = new ArrayList<>();
            collect(nets.unet(), "unet", layers);
            collect(nets.seg(), "seg", layers);
            int zeroed = 0;
            int checkedStd = 0;
            for (Layer layer : layers) {
                float[] w = layer.weight().toFloatArray();
                double bound = TorchDefaultInit.bound(layer.weight().getShape());
                if (maxAbs(w) == 0) {
                    zeroed++; // the U-Net's zero-initialised output convolutions
                    continue;
                }
                assertTrue(maxAbs(w) <= bound * (1 + 1e-6), layer.name() + " weight beyond 1/sqrt(fan_in)");
                if (layer.bias() != null) {
                    assertTrue(maxAbs(layer.bias().toFloatArray()) <= bound * (1 + 1e-6), layer.name() + " bias");
                }
                if (w.length >= 4096) {
                    // Uniform in +-b has std b / sqrt(3); DJL's Xavier default would be about 2.45x that.
                    assertEquals(bound / Math.sqrt(3), std(w), 0.05 * bound / Math.sqrt(3), layer.name() + " weight std");
                    checkedStd++;
                }
            }
            assertTrue(zeroed >= 1, "the U-Net's output convolution stays zero");
            assertTrue(checkedStd > 20, "std checked on " + checkedStd + " layers");
        }
    }

    @Test
    void normalisationLayersStartAsIdentity() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                BlockNetworks nets = BlockNetworks.create(TINY, Plugins.fromClassPath(), manager, 1)) {
            for (Block net : List.of(nets.unet(), nets.seg())) {
                for (Pair<String, Parameter> p : net.getParameters()) {
                    Parameter.Type type = p.getValue().getType();
                    float[] v = p.getValue().getArray().toFloatArray();
                    if (type == Parameter.Type.GAMMA) {
                        for (float x : v) {
                            assertEquals(1f, x, p.getKey());
                        }
                    } else if (type == Parameter.Type.BETA) {
                        assertEquals(0.0, maxAbs(v), p.getKey());
                    }
                }
            }
        }
    }

    @Test
    void theDjlChoiceKeepsDjlsLargerStart() {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                BlockNetworks torch = BlockNetworks.create(TINY, Plugins.fromClassPath(), manager, 1);
                BlockNetworks djl = BlockNetworks.create(TINY, Plugins.fromClassPath(), manager, 1, BlockNetworks.Init.DJL)) {
            List<Layer> a = new ArrayList<>();
            List<Layer> b = new ArrayList<>();
            collect(torch.seg(), "seg", a);
            collect(djl.seg(), "seg", b);
            double ratio = std(b.get(2).weight().toFloatArray()) / std(a.get(2).weight().toFloatArray());
            assertTrue(ratio > 2 && ratio < 3, "Xavier (magnitude 2) vs PyTorch: about 2.45x, got " + ratio);
        }
    }

    private static void collect(Block block, String name, List<Layer> out) {
        NDArray weight = null;
        NDArray bias = null;
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getValue().getType() == Parameter.Type.WEIGHT && p.getValue().getArray().getShape().dimension() >= 2) {
                weight = p.getValue().getArray();
            } else if (p.getValue().getType() == Parameter.Type.BIAS) {
                bias = p.getValue().getArray();
            }
        }
        if (weight != null) {
            out.add(new Layer(name, weight, bias));
        }
        for (Pair<String, Block> child : block.getChildren()) {
            collect(child.getValue(), name + "/" + child.getKey(), out);
        }
    }

    private static double maxAbs(float[] v) {
        double max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private static double std(float[] v) {
        double mean = 0;
        for (float x : v) {
            mean += x;
        }
        mean /= v.length;
        double var = 0;
        for (float x : v) {
            var += (x - mean) * (x - mean);
        }
        return Math.sqrt(var / v.length);
    }
}

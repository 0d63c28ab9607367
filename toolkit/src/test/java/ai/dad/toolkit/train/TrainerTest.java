package ai.dad.toolkit.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dad.djl.BlockNetworks;
import ai.dad.djl.DjlBackendProvider;
import ai.dad.djl.TestModels;
import ai.dad.toolkit.synth.AnomalySynthesizer;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.plugin.Plugins;
import ai.djl.ndarray.NDManager;
import ai.djl.training.tracker.Tracker;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainerTest {

    @Test
    void lossFallsOnATinyRun() {
        ModelManifest manifest = TestModels.micro();
        Plugins plugins = Plugins.fromClassPath();
        BatchMaker batches = new BatchMaker(TestModels.parts(6, 32), null, new AnomalySynthesizer(List.of(), true), 4, 300, 1000, 1);
        try (NDManager root = NDManager.newBaseManager("PyTorch");
                BlockNetworks nets = BlockNetworks.create(manifest, plugins, root, 1)) {
            Trainer trainer = new Trainer(nets, DjlBackendProvider.schedule(manifest, plugins), 1.0, Tracker.fixed(2e-3f), Tracker.fixed(2e-3f));
            double first = 0;
            double last = 0;
            int steps = 40;
            for (int step = 0; step < steps; step++) {
                Trainer.StepLoss loss = trainer.step(root, batches.make(step));
                assertTrue(Double.isFinite(loss.total()), "finite loss at step " + step);
                if (step < 8) {
                    first += loss.total() / 8;
                } else if (step >= steps - 8) {
                    last += loss.total() / 8;
                }
            }
            assertTrue(last < 0.7 * first, "loss should fall: first 8 steps " + first + ", last 8 " + last);
        }
    }

    @Test
    void batchesAreAPureFunctionOfSeedAndStep() {
        AnomalySynthesizer synth = new AnomalySynthesizer(List.of(), true);
        BatchMaker a = new BatchMaker(TestModels.parts(4, 32), null, synth, 3, 300, 1000, 9);
        BatchMaker b = new BatchMaker(TestModels.parts(4, 32), null, synth, 3, 300, 1000, 9);
        Batch one = a.make(5);
        Batch two = b.make(5);
        assertArrayEquals(one.images(), two.images());
        assertArrayEquals(one.noiseBig(), two.noiseBig());
        assertArrayEquals(one.tSmall(), two.tSmall());
        for (int i = 0; i < one.size(); i++) {
            assertTrue(one.tSmall()[i] >= 0 && one.tSmall()[i] < 300);
            assertTrue(one.tBig()[i] >= 300 && one.tBig()[i] < 1000);
        }
        assertEquals(3, one.clean().length);
    }
}

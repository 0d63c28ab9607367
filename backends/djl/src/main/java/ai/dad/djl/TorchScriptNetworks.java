package ai.dad.djl;

import ai.dad.spi.ModelManifest;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Networks exported from PyTorch with {@code torch.jit.trace}: {@code eps(x: float32[N,3,H,W],
 * t: int64[N])} and {@code seg(x: float32[N,6,H,W])}. TorchScript is code: load only models from
 * a trusted source.
 */
public final class TorchScriptNetworks implements Networks {
    private final Model unet;
    private final Model seg;

    private TorchScriptNetworks(Model unet, Model seg) {
        this.unet = unet;
        this.seg = seg;
    }

    /** Loads the modules named in {@code manifest.weights} from {@code dir} onto {@code manager}'s device. */
    public static TorchScriptNetworks load(Path dir, ModelManifest manifest, NDManager manager) throws IOException {
        Model unet = open(dir, manifest.weights.unet, manager);
        try {
            return new TorchScriptNetworks(unet, open(dir, manifest.weights.seg, manager));
        } catch (IOException | RuntimeException e) {
            unet.close();
            throw e;
        }
    }

    @Override
    public NDArray predictNoise(NDArray x, NDArray t) {
        return forward(unet, new NDList(x, t));
    }

    @Override
    public NDArray segment(NDArray imageAndReconstruction) {
        return forward(seg, new NDList(imageAndReconstruction));
    }

    @Override
    public void close() {
        unet.close();
        seg.close();
    }

    private static NDArray forward(Model model, NDList inputs) {
        NDManager manager = inputs.head().getManager();
        NDArray out = model.getBlock().forward(new ParameterStore(manager, false), inputs, false).singletonOrThrow();
        out.attach(manager);
        return out;
    }

    private static Model open(Path dir, String file, NDManager manager) throws IOException {
        Path path = dir.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IOException("TorchScript file " + path + " does not exist");
        }
        Model model = Model.newInstance(file, manager.getDevice(), "PyTorch");
        try {
            model.load(dir, file);
        } catch (MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new IOException("cannot load TorchScript module " + path + ": " + e.getMessage(), e);
        }
        return model;
    }
}

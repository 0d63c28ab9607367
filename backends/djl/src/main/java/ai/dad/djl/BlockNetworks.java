package ai.dad.djl;

import ai.dad.djl.nn.DiffusionUNet;
import ai.dad.djl.nn.Scoped;
import ai.dad.djl.nn.TorchDefaultInit;
import ai.dad.djl.nn.UNetConfig;
import ai.dad.spi.ModelManifest;
import ai.dad.spi.BackendContext;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Networks built from this project's DJL blocks ({@link DiffusionUNet} and a segmentation head
 * chosen by name), with weights in DJL's parameter format.
 */
public final class BlockNetworks implements Networks {
    private final NDManager manager;
    private final Block unet;
    private final Block seg;
    /** Lower-precision copies of the weights, or null to compute in float32 ({@link #usePrecision}). */
    private volatile CastParameterStore cast;

    private BlockNetworks(NDManager manager, Block unet, Block seg) {
        this.manager = manager;
        this.unet = unet;
        this.seg = seg;
    }

    /** How fresh networks draw their weights. */
    public enum Init {
        /** PyTorch's defaults, as the official networks start ({@link TorchDefaultInit}). */
        PYTORCH,
        /** DJL's defaults (Xavier, Gaussian, magnitude 2), this project's start before. */
        DJL
    }

    /** Fresh networks with PyTorch's initialisation; see {@link #create(ModelManifest, BackendContext, NDManager, long, Init)}. */
    public static BlockNetworks create(ModelManifest manifest, BackendContext context, NDManager parent, long seed) {
        return create(manifest, context, parent, seed, Init.PYTORCH);
    }

    /**
     * Fresh networks with random weights drawn from {@code seed}, for training or tests.
     * Parameters start frozen (inference); a trainer unfreezes them.
     */
    public static BlockNetworks create(ModelManifest manifest, BackendContext context, NDManager parent, long seed, Init init) {
        BlockNetworks nets = build(manifest, context, parent);
        int size = manifest.architecture.imageSize;
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        nets.unet.initialize(nets.manager, DataType.FLOAT32, new Shape(1, 3, size, size), new Shape(1));
        nets.seg.initialize(nets.manager, DataType.FLOAT32, new Shape(1, 6, size, size));
        if (init == Init.PYTORCH) {
            TorchDefaultInit.apply(nets.unet);
            TorchDefaultInit.apply(nets.seg);
        }
        nets.freeze(true);
        return nets;
    }

    /** Loads the weights named in {@code manifest.weights} from {@code dir}. */
    public static BlockNetworks load(Path dir, ModelManifest manifest, BackendContext context, NDManager parent)
            throws IOException {
        BlockNetworks nets = build(manifest, context, parent);
        try {
            read(nets.unet, dir.resolve(manifest.weights.unet), nets.manager);
            read(nets.seg, dir.resolve(manifest.weights.seg), nets.manager);
        } catch (IOException | RuntimeException e) {
            nets.close();
            throw e;
        }
        return nets;
    }

    /** Writes both networks' parameters to the files named in {@code manifest.weights}. */
    public void save(Path dir, ModelManifest manifest) throws IOException {
        Files.createDirectories(dir);
        write(unet, dir.resolve(manifest.weights.unet));
        write(seg, dir.resolve(manifest.weights.seg));
    }

    /**
     * Computes in {@code precision} from now on: inputs are converted on the way in and outputs
     * back to float32 on the way out, weights once. Inference only.
     */
    public void usePrecision(Precision precision) {
        if (precision == Precision.BF16) {
            precision.requireSupportedOn(manager.getDevice()); // refuses: converting would abort the process
        }
        cast = precision == Precision.FP32 ? null : new CastParameterStore(manager, precision.dataType());
    }

    /** Freezes (inference) or unfreezes (training) every trainable parameter. */
    public void freeze(boolean frozen) {
        unet.freezeParameters(frozen, BlockNetworks::isTrainable);
        seg.freezeParameters(frozen, BlockNetworks::isTrainable);
    }

    /** Whether the optimiser updates {@code p}; BatchNorm's running statistics it does not. */
    public static boolean isTrainable(Parameter p) {
        return p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR;
    }

    public Block unet() {
        return unet;
    }

    public Block seg() {
        return seg;
    }

    /** Trainable parameters of a block (running statistics of BatchNorm are not trainable). */
    public static long trainableParameters(Block block) {
        long count = 0;
        for (Parameter p : block.getParameters().values()) {
            if (isTrainable(p)) {
                count += p.getArray().size();
            }
        }
        return count;
    }

    @Override
    public NDArray predictNoise(NDArray x, NDArray t) {
        return run(unet, x, t);
    }

    @Override
    public NDArray segment(NDArray imageAndReconstruction) {
        return run(seg, imageAndReconstruction, null);
    }

    /** One forward of {@code block} on x (and t), in the chosen precision, returning float32. */
    private NDArray run(Block block, NDArray x, NDArray t) {
        CastParameterStore store = cast;
        if (store == null) {
            NDList in = t == null ? new NDList(x) : new NDList(x, t);
            return block.forward(new ParameterStore(x.getManager(), false), in, false).singletonOrThrow();
        }
        return Scoped.result(() -> {
            NDArray low = x.toType(store.dataType(), false);
            NDList in = t == null ? new NDList(low) : new NDList(low, t);
            return block.forward(store, in, false).singletonOrThrow().toType(DataType.FLOAT32, false);
        });
    }

    @Override
    public void close() {
        manager.close();
    }

    private static BlockNetworks build(ModelManifest manifest, BackendContext context, NDManager parent) {
        EngineSetup.ensure();
        ModelManifest.Architecture a = manifest.architecture;
        Block unet = new DiffusionUNet(UNetConfig.of(a));
        Block seg = context.segmentationHead(a.segHead).create(6, a.segBase, a.segOptions);
        return new BlockNetworks(parent.newSubManager(), unet, seg);
    }

    private static void read(Block block, Path file, NDManager manager) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IOException(file + " does not match the manifest's architecture: " + e.getMessage(), e);
        }
    }

    private static void write(Block block, Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            block.saveParameters(out);
        }
    }
}

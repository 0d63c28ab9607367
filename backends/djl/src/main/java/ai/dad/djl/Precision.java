package ai.dad.djl;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * The number format the networks compute in ({@code inference.precision}). The diffusion
 * arithmetic, GroupNorm statistics and attention's softmax stay in float32 whatever it is, as the
 * official code keeps them; weights are converted once when a model is opened.
 */
public enum Precision {
    FP32(DataType.FLOAT32),
    /**
     * bfloat16: refused on every device for now. DJL's PyTorch binding maps no bfloat16 type
     * (DJL 0.29 with PyTorch 2.3.1 aborts the process on the first conversion; its native source up
     * to 0.36 has none), so the networks cannot be given bfloat16 tensors (docs/PERFORMANCE.md).
     */
    BF16(DataType.BFLOAT16),
    /** float16: GPUs only (CPUs have no fast float16 arithmetic). */
    FP16(DataType.FLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.label().equalsIgnoreCase(text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "': use fp32, bf16 or fp16");
    }

    /** Refuses a precision {@code device} would run slower than fp32 (or not at all), saying why. */
    public void requireSupportedOn(Device device) {
        switch (this) {
            case FP32 -> { }
            case BF16 -> throw new IllegalArgumentException("bf16 is not available: DJL's PyTorch binding has no bfloat16 "
                    + "type (a conversion aborts the process), so the networks cannot compute in it; use fp32, or fp16 on a GPU");
            case FP16 -> {
                if (!device.isGpu()) {
                    throw new IllegalArgumentException("fp16 runs on GPUs only (PyTorch computes float16 on this CPU "
                            + "without fast kernels, slower than fp32); use fp32");
                }
            }
        }
    }
}

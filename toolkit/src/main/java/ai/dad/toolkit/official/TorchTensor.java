package ai.dad.toolkit.official;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import net.razorvine.pickle.PickleException;

/**
 * A tensor read from a {@code torch.save} archive: its shape and its values in row-major order,
 * converted to float (the networks are float32; integer tensors such as BatchNorm's
 * {@code num_batches_tracked} are read the same way).
 */
public record TorchTensor(String storageType, long[] shape, float[] values) {

    /** The raw bytes of one storage of the archive (little-endian) and its element type. */
    record Storage(String type, ByteBuffer bytes) {
        Storage {
            bytes = bytes.order(ByteOrder.LITTLE_ENDIAN);
        }

        int elementSize() {
            return switch (type) {
                case "DoubleStorage", "LongStorage" -> 8;
                case "FloatStorage", "IntStorage" -> 4;
                default -> 2; // Half, BFloat16
            };
        }

        float get(long index) {
            int at = Math.toIntExact(index * elementSize());
            return switch (type) {
                case "FloatStorage" -> bytes.getFloat(at);
                case "DoubleStorage" -> (float) bytes.getDouble(at);
                case "LongStorage" -> bytes.getLong(at);
                case "IntStorage" -> bytes.getInt(at);
                case "BFloat16Storage" -> Float.intBitsToFloat((bytes.getShort(at) & 0xffff) << 16);
                case "HalfStorage" -> halfToFloat(bytes.getShort(at));
                default -> throw new IllegalStateException("unknown storage " + type);
            };
        }

        long elements() {
            return bytes.capacity() / elementSize();
        }
    }

    public long size() {
        return values.length;
    }

    @Override
    public String toString() {
        return "TorchTensor" + Arrays.toString(shape);
    }

    /**
     * torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad,
     * backward_hooks[, metadata]): gathers the strided view into a dense array.
     */
    static TorchTensor rebuild(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage storage)) {
            throw new PickleException("malformed tensor record in checkpoint: " + Arrays.deepToString(args));
        }
        long offset = ((Number) args[1]).longValue();
        long[] shape = longs(args[2]);
        long[] stride = longs(args[3]);
        if (shape.length != stride.length) {
            throw new PickleException("tensor size " + Arrays.toString(shape) + " and stride " + Arrays.toString(stride) + " differ in rank");
        }
        long count = 1;
        long last = offset;
        for (int d = 0; d < shape.length; d++) {
            count *= shape[d];
            last += (shape[d] - 1) * stride[d];
        }
        if (count > 0 && (offset < 0 || last >= storage.elements())) {
            throw new PickleException("tensor of size " + Arrays.toString(shape) + " reaches past its storage of "
                    + storage.elements() + " elements");
        }
        float[] values = new float[Math.toIntExact(count)];
        long[] index = new long[shape.length];
        for (int i = 0; i < values.length; i++) {
            long at = offset;
            for (int d = 0; d < shape.length; d++) {
                at += index[d] * stride[d];
            }
            values[i] = storage.get(at);
            for (int d = shape.length - 1; d >= 0 && ++index[d] == shape[d]; d--) {
                index[d] = 0;
            }
        }
        return new TorchTensor(storage.type(), shape, values);
    }

    private static long[] longs(Object tuple) {
        if (!(tuple instanceof Object[] items)) {
            throw new PickleException("expected a tuple of sizes in a tensor record, got " + tuple);
        }
        return Arrays.stream(items).mapToLong(n -> ((Number) n).longValue()).toArray();
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}

package ai.dad.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands the blocks each parameter converted to a lower precision, converting it once and keeping
 * the copy for the networks' lifetime (the float32 originals stay for saving and training).
 * Inference only: the copies record no gradients.
 */
final class CastParameterStore extends ParameterStore {
    private final DataType type;
    private final NDManager manager;
    private final Map<String, NDArray> converted = new ConcurrentHashMap<>();

    CastParameterStore(NDManager manager, DataType type) {
        super(manager, false);
        this.manager = manager;
        this.type = type;
    }

    DataType dataType() {
        return type;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
        if (parameter == null) {
            return null;
        }
        return converted.computeIfAbsent(parameter.getId(), id -> {
            NDArray copy = parameter.getArray().toDevice(device, false).toType(type, true);
            copy.attach(manager);
            return copy;
        });
    }
}

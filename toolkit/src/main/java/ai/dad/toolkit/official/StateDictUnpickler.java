package ai.dad.toolkit.official;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Unpickles the {@code data.pkl} of a {@code torch.save} archive, allowing only the globals a
 * checkpoint of state dicts needs: {@code collections.OrderedDict}, the tensor-rebuild function
 * and the typed storage classes. Any other global (a class, {@code os.system}, ...) stops the
 * load with an error naming it; nothing named in the file is ever looked up or run, so a
 * hostile file can only fail.
 */
final class StateDictUnpickler extends Unpickler {
    private static final Set<String> STORAGE_TYPES = Set.of(
            "FloatStorage", "DoubleStorage", "HalfStorage", "BFloat16Storage", "LongStorage", "IntStorage");

    private final Function<Object[], Object> storages;

    /** {@code storages} turns a persistent id ('storage', type, key, location, numel) into the storage. */
    StateDictUnpickler(Function<Object[], Object> storages) {
        this.storages = storages;
    }

    /** A storage class named by the pickle, e.g. {@code FloatStorage}. */
    record StorageType(String name) {}

    /** An OrderedDict; the state dict's {@code _metadata} attribute (module versions) is dropped. */
    public static final class StateDict extends LinkedHashMap<Object, Object> {
        // Called by reflection for the BUILD opcode.
        public void __setstate__(HashMap<?, ?> state) {}
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(global(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                String name = String.valueOf(stack.pop());
                String module = String.valueOf(stack.pop());
                stack.add(global(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.SETITEMS -> {
                // The library's own SETITEMS goes through a HashMap; keep the file's order.
                List<Object> items = stack.pop_all_since_marker();
                @SuppressWarnings("unchecked")
                Map<Object, Object> dict = (Map<Object, Object>) stack.peek();
                for (int i = 0; i + 1 < items.size(); i += 2) {
                    dict.put(items.get(i), items.get(i + 1));
                }
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST -> throw refused(PickleUtils.readline(input), PickleUtils.readline(input));
            default -> {
                return super.dispatch(key);
            }
        }
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] id) || id.length != 5 || !"storage".equals(id[0]) || !(id[1] instanceof StorageType)) {
            throw new PickleException("unexpected persistent id in checkpoint: " + describe(pid));
        }
        return storages.apply(id);
    }

    private static Object global(String module, String name) {
        if (module.equals("collections") && name.equals("OrderedDict")) {
            return (IObjectConstructor) args -> new StateDict();
        }
        if (module.equals("torch._utils") && name.equals("_rebuild_tensor_v2")) {
            return (IObjectConstructor) TorchTensor::rebuild;
        }
        if (module.equals("torch") && STORAGE_TYPES.contains(name)) {
            return new StorageType(name);
        }
        throw refused(module, name);
    }

    private static PickleException refused(String module, String name) {
        return new PickleException("the checkpoint refers to " + module + "." + name
                + ", which a checkpoint of state dicts does not need; refused (nothing was run). Allowed: "
                + "collections.OrderedDict, torch._utils._rebuild_tensor_v2, torch." + String.join("/torch.", STORAGE_TYPES.stream().sorted().toList()));
    }

    private static String describe(Object pid) {
        return pid instanceof Object[] array ? java.util.Arrays.deepToString(array) : String.valueOf(pid);
    }

    /** Reads a whole pickle. */
    static Map<?, ?> loadMap(byte[] pickle, Function<Object[], Object> storages) throws IOException {
        StateDictUnpickler unpickler = new StateDictUnpickler(storages);
        try {
            Object root = unpickler.loads(pickle);
            if (!(root instanceof Map<?, ?> map)) {
                throw new IOException("the checkpoint holds a " + (root == null ? "None" : root.getClass().getSimpleName())
                        + ", not the dict the official save() writes");
            }
            return map;
        } catch (PickleException | ClassCastException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            unpickler.close();
        }
    }
}

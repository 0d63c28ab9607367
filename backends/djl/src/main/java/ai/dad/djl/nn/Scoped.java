package ai.dad.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a computation in an {@link NDScope} of its own: every array it creates is freed when it
 * returns, except its result, which is handed to the enclosing scope (or, outside any scope,
 * left to its manager). DJL's {@code NDScope.unregister} alone only takes the result out of the
 * innermost scope, so it would belong to no scope and live until its manager closed; that leaked
 * every block output of a batch (docs/PERFORMANCE.md).
 */
public final class Scoped {
    private Scoped() {}

    public static NDArray result(Supplier<NDArray> work) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            out = work.get();
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }
}

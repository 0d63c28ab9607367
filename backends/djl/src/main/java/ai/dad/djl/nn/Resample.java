package ai.dad.djl.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;

/** The spatial change a U-Net ResBlock applies: none, BigGAN-style down (avg-pool) or up (nearest). */
public enum Resample {
    NONE,
    DOWN,
    UP;

    NDArray apply(NDArray x) {
        return switch (this) {
            case NONE -> x;
            case DOWN -> Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
            case UP -> Ops.upsampleNearest(x);
        };
    }

    Shape apply(Shape s) {
        return switch (this) {
            case NONE -> s;
            case DOWN -> new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2);
            case UP -> new Shape(s.get(0), s.get(1), s.get(2) * 2, s.get(3) * 2);
        };
    }
}

package dev.repsim.onnx;

/**
 * A small deterministic vision model built in Java from seeded weights: its ONNX bytes and the weights
 * themselves, so tests can check ONNX Runtime's output against an independent plain-Java forward pass.
 * Input is NCHW float32 [B, 3, size, size] named {@value #INPUT}.
 */
public interface TinyModel {
    String INPUT = "pixels";

    /** {@code tiny-cnn} or {@code tiny-vit}. */
    String name();

    /** Input side length (square images). */
    int size();

    /** Name of the output tensor. */
    String outputName();

    /** Output shape for a batch of {@code batch} images. */
    long[] outputShape(int batch);

    /** The serialised ONNX model. */
    byte[] toOnnx();

    /** The weights (the tests run a plain-Java forward pass of them). */
    Params params();

    /** The model by name ({@code tiny-cnn} or {@code tiny-vit}) with weights drawn from {@code seed}. */
    static TinyModel create(String name, long seed) {
        return switch (name) {
            case "tiny-cnn" -> new TinyCnn(seed);
            case "tiny-vit" -> new TinyVit(seed);
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (expected tiny-cnn or tiny-vit)");
        };
    }
}

package dev.repsim.onnx;

/**
 * {@code tiny-cnn}: Conv(3→8, 3×3, stride 2, pad 1) → Relu → MaxPool(2×2) → Conv(8→16, 3×3, stride 2,
 * pad 1) → Relu → GlobalAveragePool → Flatten → Gemm(16→32). Input [B,3,224,224], output
 * {@code features} [B,32]: the shape family of a pooled CNN embedding (e.g. SwaV ResNet-50), so it runs
 * under {@code --preset swav}.
 */
public final class TinyCnn implements TinyModel {
    public static final int SIZE = 224;
    public static final int C1 = 8;
    public static final int C2 = 16;
    public static final int OUT = 32;
    public static final String OUTPUT = "features";

    private final Params params;

    public TinyCnn(long seed) {
        params = new Params(seed);
        params.kernel("conv1.w", 3 * 9, C1, 3, 3, 3);
        params.small("conv1.b", C1);
        params.kernel("conv2.w", C1 * 9, C2, C1, 3, 3);
        params.small("conv2.b", C2);
        params.kernel("fc.w", C2, OUT, C2);
        params.small("fc.b", OUT);
    }

    @Override public String name() { return "tiny-cnn"; }
    @Override public int size() { return SIZE; }
    @Override public String outputName() { return OUTPUT; }
    @Override public long[] outputShape(int batch) { return new long[]{batch, OUT}; }
    @Override public Params params() { return params; }

    @Override
    public byte[] toOnnx() {
        OnnxGraph g = new OnnxGraph("tiny-cnn");
        g.input(INPUT, -1, 3, SIZE, SIZE).output(OUTPUT, -1, OUT);
        params.addTo(g);
        long[] k3 = {3, 3}, s2 = {2, 2}, p1 = {1, 1, 1, 1};
        g.node("Conv", new String[]{INPUT, "conv1.w", "conv1.b"}, "c1", "kernel_shape", k3, "strides", s2, "pads", p1)
                .node("Relu", new String[]{"c1"}, "r1")
                .node("MaxPool", new String[]{"r1"}, "p1", "kernel_shape", new long[]{2, 2}, "strides", s2)
                .node("Conv", new String[]{"p1", "conv2.w", "conv2.b"}, "c2", "kernel_shape", k3, "strides", s2, "pads", p1)
                .node("Relu", new String[]{"c2"}, "r2")
                .node("GlobalAveragePool", new String[]{"r2"}, "gap")
                .node("Flatten", new String[]{"gap"}, "flat", "axis", 1)
                .node("Gemm", new String[]{"flat", "fc.w", "fc.b"}, OUTPUT, "transB", 1);
        return g.toBytes("repsim make-model tiny-cnn");
    }
}

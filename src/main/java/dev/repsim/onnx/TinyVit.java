package dev.repsim.onnx;

/**
 * {@code tiny-vit}: a one-block pre-norm vision transformer (Dosovitskiy et al. 2021). Patch embedding
 * Conv(3→32, 16×16, stride 16) on [B,3,224,224] gives 196 tokens; a learned CLS token is prepended and a
 * learned position embedding added; then x += Attn(LN(x)) with 2 heads of width 16 (softmax(QKᵀ/√16)V,
 * output projection), x += MLP(LN(x)) with 32→64→32 and exact GELU; a final LayerNorm. Output
 * {@code tokens} [B,197,32] with the CLS token first, the layout of DINOv2/MAE exports, so it runs under
 * {@code --preset dinov2} or {@code --preset mae}.
 */
public final class TinyVit implements TinyModel {
    public static final int SIZE = 224;
    public static final int PATCH = 16;
    public static final int GRID = SIZE / PATCH;
    public static final int TOKENS = GRID * GRID + 1;
    public static final int DIM = 32;
    public static final int HEADS = 2;
    public static final int HEAD_DIM = DIM / HEADS;
    public static final int MLP = 64;
    public static final float LN_EPS = 1e-6f;
    public static final String OUTPUT = "tokens";

    private final Params params;

    public TinyVit(long seed) {
        params = new Params(seed);
        params.kernel("patch.w", 3 * PATCH * PATCH, DIM, 3, PATCH, PATCH);
        params.small("patch.b", DIM);
        params.small("cls", 1, 1, DIM);
        params.small("pos", 1, TOKENS, DIM);
        params.scale("ln1.g", DIM);
        params.small("ln1.b", DIM);
        for (String m : new String[]{"q", "k", "v", "o"}) {
            params.kernel(m + ".w", DIM, DIM, DIM);
            params.small(m + ".b", DIM);
        }
        params.scale("ln2.g", DIM);
        params.small("ln2.b", DIM);
        params.kernel("mlp1.w", DIM, DIM, MLP);
        params.small("mlp1.b", MLP);
        params.kernel("mlp2.w", MLP, MLP, DIM);
        params.small("mlp2.b", DIM);
        params.scale("lnf.g", DIM);
        params.small("lnf.b", DIM);
    }

    @Override public String name() { return "tiny-vit"; }
    @Override public int size() { return SIZE; }
    @Override public String outputName() { return OUTPUT; }
    @Override public long[] outputShape(int batch) { return new long[]{batch, TOKENS, DIM}; }
    @Override public Params params() { return params; }

    @Override
    public byte[] toOnnx() {
        OnnxGraph g = new OnnxGraph("tiny-vit");
        g.input(INPUT, -1, 3, SIZE, SIZE).output(OUTPUT, -1, TOKENS, DIM);
        params.addTo(g);
        g.initializer("shape.bdn", new long[]{3}, new long[]{0, DIM, -1})
                .initializer("shape.heads", new long[]{4}, new long[]{0, 0, HEADS, HEAD_DIM})
                .initializer("shape.btd", new long[]{3}, new long[]{0, 0, DIM})
                .initializer("shape.1d", new long[]{2}, new long[]{1, DIM})
                .initializer("zero", new long[]{1}, new long[]{0})
                .initializer("one", new long[]{1}, new long[]{1})
                .initializer("scale", new long[]{}, new float[]{(float) (1 / Math.sqrt(HEAD_DIM))})
                .initializer("half", new long[]{}, new float[]{0.5f})
                .initializer("unit", new long[]{}, new float[]{1f})
                .initializer("rsqrt2", new long[]{}, new float[]{(float) (1 / Math.sqrt(2))});
        // patch tokens [B,196,32]
        g.node("Conv", new String[]{INPUT, "patch.w", "patch.b"}, "patches",
                        "kernel_shape", new long[]{PATCH, PATCH}, "strides", new long[]{PATCH, PATCH})
                .node("Reshape", new String[]{"patches", "shape.bdn"}, "patches.flat")
                .node("Transpose", new String[]{"patches.flat"}, "patch.tokens", "perm", new long[]{0, 2, 1});
        // CLS token broadcast to [B,1,32]: Expand to the shape (B, 1, 32) taken from the input.
        g.node("Shape", new String[]{INPUT}, "in.shape")
                .node("Slice", new String[]{"in.shape", "zero", "one"}, "batch")
                .node("Concat", new String[]{"batch", "shape.1d"}, "cls.shape", "axis", 0)
                .node("Expand", new String[]{"cls", "cls.shape"}, "cls.b")
                .node("Concat", new String[]{"cls.b", "patch.tokens"}, "tok", "axis", 1)
                .node("Add", new String[]{"tok", "pos"}, "x0");
        // attention block
        g.node("LayerNormalization", new String[]{"x0", "ln1.g", "ln1.b"}, "h1", "axis", -1, "epsilon", LN_EPS);
        for (String m : new String[]{"q", "k", "v"}) {
            g.node("MatMul", new String[]{"h1", m + ".w"}, m + ".mm")
                    .node("Add", new String[]{m + ".mm", m + ".b"}, m + ".lin")
                    .node("Reshape", new String[]{m + ".lin", "shape.heads"}, m + ".heads");
        }
        g.node("Transpose", new String[]{"q.heads"}, "q.t", "perm", new long[]{0, 2, 1, 3})
                .node("Transpose", new String[]{"k.heads"}, "k.t", "perm", new long[]{0, 2, 3, 1})
                .node("Transpose", new String[]{"v.heads"}, "v.t", "perm", new long[]{0, 2, 1, 3})
                .node("MatMul", new String[]{"q.t", "k.t"}, "scores.raw")
                .node("Mul", new String[]{"scores.raw", "scale"}, "scores")
                .node("Softmax", new String[]{"scores"}, "attn", "axis", -1)
                .node("MatMul", new String[]{"attn", "v.t"}, "ctx.heads")
                .node("Transpose", new String[]{"ctx.heads"}, "ctx.t", "perm", new long[]{0, 2, 1, 3})
                .node("Reshape", new String[]{"ctx.t", "shape.btd"}, "ctx")
                .node("MatMul", new String[]{"ctx", "o.w"}, "o.mm")
                .node("Add", new String[]{"o.mm", "o.b"}, "o.lin")
                .node("Add", new String[]{"x0", "o.lin"}, "x1");
        // MLP block with exact GELU 0.5·x·(1 + erf(x/√2))
        g.node("LayerNormalization", new String[]{"x1", "ln2.g", "ln2.b"}, "h2", "axis", -1, "epsilon", LN_EPS)
                .node("MatMul", new String[]{"h2", "mlp1.w"}, "m1.mm")
                .node("Add", new String[]{"m1.mm", "mlp1.b"}, "m1")
                .node("Mul", new String[]{"m1", "rsqrt2"}, "m1.s")
                .node("Erf", new String[]{"m1.s"}, "m1.erf")
                .node("Add", new String[]{"m1.erf", "unit"}, "m1.e1")
                .node("Mul", new String[]{"m1", "m1.e1"}, "m1.p")
                .node("Mul", new String[]{"m1.p", "half"}, "m1.gelu")
                .node("MatMul", new String[]{"m1.gelu", "mlp2.w"}, "m2.mm")
                .node("Add", new String[]{"m2.mm", "mlp2.b"}, "m2")
                .node("Add", new String[]{"x1", "m2"}, "x2")
                .node("LayerNormalization", new String[]{"x2", "lnf.g", "lnf.b"}, OUTPUT, "axis", -1, "epsilon", LN_EPS);
        return g.toBytes("repsim make-model tiny-vit");
    }
}

package dev.repsim.onnx;

/**
 * {@code tiny-vit}: a pre-norm vision transformer (Dosovitskiy et al. 2021). Patch embedding
 * Conv(3→D, 16×16, stride 16) on [B,3,224,224] gives 196 tokens; a learned CLS token is prepended and a
 * learned position embedding added; then per block x += Attn(LN(x)) with H heads (softmax(QKᵀ/√(D/H))V,
 * output projection) and x += MLP(LN(x)) with D→M→D and exact GELU; a final LayerNorm. Output
 * {@code tokens} [B,197,D] with the CLS token first, the layout of DINOv2/MAE exports, so it runs under
 * {@code --preset dinov2} or {@code --preset mae}. {@link Shape#TINY} (D 32, 2 heads, M 64, 1 block) is
 * the {@code tiny-vit} of make-model; {@link Shape#VIT_TI16} and {@link Shape#VIT_S16} have the size and
 * compute of ViT-Ti/16 (D 192, 3 heads, M 768, 12 blocks) and ViT-S/16 (D 384, 6 heads, M 1536, 12
 * blocks), with random weights, for throughput measurements.
 */
public final class TinyVit implements TinyModel {
    public static final int SIZE = 224;
    public static final int PATCH = 16;
    public static final int GRID = SIZE / PATCH;
    public static final int TOKENS = GRID * GRID + 1;
    public static final float LN_EPS = 1e-6f;
    public static final String OUTPUT = "tokens";

    /** Width, heads, MLP width and depth. */
    public record Shape(int dim, int heads, int mlp, int depth) {
        public static final Shape TINY = new Shape(32, 2, 64, 1);
        public static final Shape VIT_TI16 = new Shape(192, 3, 768, 12);
        public static final Shape VIT_S16 = new Shape(384, 6, 1536, 12);

        public int headDim() { return dim / heads; }
    }

    private final Params params;
    private final Shape shape;

    public TinyVit(long seed) {
        this(seed, Shape.TINY);
    }

    public TinyVit(long seed, Shape shape) {
        this.shape = shape;
        int d = shape.dim();
        params = new Params(seed);
        params.kernel("patch.w", 3 * PATCH * PATCH, d, 3, PATCH, PATCH);
        params.small("patch.b", d);
        params.small("cls", 1, 1, d);
        params.small("pos", 1, TOKENS, d);
        for (int b = 0; b < shape.depth(); b++) {
            String p = "b" + b + ".";
            params.scale(p + "ln1.g", d);
            params.small(p + "ln1.b", d);
            for (String m : new String[]{"q", "k", "v", "o"}) {
                params.kernel(p + m + ".w", d, d, d);
                params.small(p + m + ".b", d);
            }
            params.scale(p + "ln2.g", d);
            params.small(p + "ln2.b", d);
            params.kernel(p + "mlp1.w", d, d, shape.mlp());
            params.small(p + "mlp1.b", shape.mlp());
            params.kernel(p + "mlp2.w", shape.mlp(), shape.mlp(), d);
            params.small(p + "mlp2.b", d);
        }
        params.scale("lnf.g", d);
        params.small("lnf.b", d);
    }

    public Shape shape() { return shape; }

    @Override public String name() { return "tiny-vit"; }
    @Override public int size() { return SIZE; }
    @Override public String outputName() { return OUTPUT; }
    @Override public long[] outputShape(int batch) { return new long[]{batch, TOKENS, shape.dim()}; }
    @Override public Params params() { return params; }

    @Override
    public byte[] toOnnx() {
        int d = shape.dim();
        OnnxGraph g = new OnnxGraph("tiny-vit");
        g.input(INPUT, -1, 3, SIZE, SIZE).output(OUTPUT, -1, TOKENS, d);
        params.addTo(g);
        g.initializer("shape.bdn", new long[]{3}, new long[]{0, d, -1})
                .initializer("shape.heads", new long[]{4}, new long[]{0, 0, shape.heads(), shape.headDim()})
                .initializer("shape.btd", new long[]{3}, new long[]{0, 0, d})
                .initializer("shape.1d", new long[]{2}, new long[]{1, d})
                .initializer("zero", new long[]{1}, new long[]{0})
                .initializer("one", new long[]{1}, new long[]{1})
                .initializer("scale", new long[]{}, new float[]{(float) (1 / Math.sqrt(shape.headDim()))})
                .initializer("half", new long[]{}, new float[]{0.5f})
                .initializer("unit", new long[]{}, new float[]{1f})
                .initializer("rsqrt2", new long[]{}, new float[]{(float) (1 / Math.sqrt(2))});
        // patch tokens [B,196,D]
        g.node("Conv", new String[]{INPUT, "patch.w", "patch.b"}, "patches",
                        "kernel_shape", new long[]{PATCH, PATCH}, "strides", new long[]{PATCH, PATCH})
                .node("Reshape", new String[]{"patches", "shape.bdn"}, "patches.flat")
                .node("Transpose", new String[]{"patches.flat"}, "patch.tokens", "perm", new long[]{0, 2, 1});
        // CLS token broadcast to [B,1,D]: Expand to the shape (B, 1, D) taken from the input.
        g.node("Shape", new String[]{INPUT}, "in.shape")
                .node("Slice", new String[]{"in.shape", "zero", "one"}, "batch")
                .node("Concat", new String[]{"batch", "shape.1d"}, "cls.shape", "axis", 0)
                .node("Expand", new String[]{"cls", "cls.shape"}, "cls.b")
                .node("Concat", new String[]{"cls.b", "patch.tokens"}, "tok", "axis", 1)
                .node("Add", new String[]{"tok", "pos"}, "x0");
        String x = "x0";
        for (int b = 0; b < shape.depth(); b++) x = block(g, "b" + b + ".", x);
        g.node("LayerNormalization", new String[]{x, "lnf.g", "lnf.b"}, OUTPUT, "axis", -1, "epsilon", LN_EPS);
        return g.toBytes("repsim make-model tiny-vit");
    }

    /** One pre-norm block on tensor {@code x}; returns the name of its output. */
    private static String block(OnnxGraph g, String p, String x) {
        g.node("LayerNormalization", new String[]{x, p + "ln1.g", p + "ln1.b"}, p + "h1", "axis", -1, "epsilon", LN_EPS);
        for (String m : new String[]{"q", "k", "v"}) {
            g.node("MatMul", new String[]{p + "h1", p + m + ".w"}, p + m + ".mm")
                    .node("Add", new String[]{p + m + ".mm", p + m + ".b"}, p + m + ".lin")
                    .node("Reshape", new String[]{p + m + ".lin", "shape.heads"}, p + m + ".heads");
        }
        g.node("Transpose", new String[]{p + "q.heads"}, p + "q.t", "perm", new long[]{0, 2, 1, 3})
                .node("Transpose", new String[]{p + "k.heads"}, p + "k.t", "perm", new long[]{0, 2, 3, 1})
                .node("Transpose", new String[]{p + "v.heads"}, p + "v.t", "perm", new long[]{0, 2, 1, 3})
                .node("MatMul", new String[]{p + "q.t", p + "k.t"}, p + "scores.raw")
                .node("Mul", new String[]{p + "scores.raw", "scale"}, p + "scores")
                .node("Softmax", new String[]{p + "scores"}, p + "attn", "axis", -1)
                .node("MatMul", new String[]{p + "attn", p + "v.t"}, p + "ctx.heads")
                .node("Transpose", new String[]{p + "ctx.heads"}, p + "ctx.t", "perm", new long[]{0, 2, 1, 3})
                .node("Reshape", new String[]{p + "ctx.t", "shape.btd"}, p + "ctx")
                .node("MatMul", new String[]{p + "ctx", p + "o.w"}, p + "o.mm")
                .node("Add", new String[]{p + "o.mm", p + "o.b"}, p + "o.lin")
                .node("Add", new String[]{x, p + "o.lin"}, p + "x1");
        // MLP with exact GELU 0.5·x·(1 + erf(x/√2))
        g.node("LayerNormalization", new String[]{p + "x1", p + "ln2.g", p + "ln2.b"}, p + "h2", "axis", -1, "epsilon", LN_EPS)
                .node("MatMul", new String[]{p + "h2", p + "mlp1.w"}, p + "m1.mm")
                .node("Add", new String[]{p + "m1.mm", p + "mlp1.b"}, p + "m1")
                .node("Mul", new String[]{p + "m1", "rsqrt2"}, p + "m1.s")
                .node("Erf", new String[]{p + "m1.s"}, p + "m1.erf")
                .node("Add", new String[]{p + "m1.erf", "unit"}, p + "m1.e1")
                .node("Mul", new String[]{p + "m1", p + "m1.e1"}, p + "m1.p")
                .node("Mul", new String[]{p + "m1.p", "half"}, p + "m1.gelu")
                .node("MatMul", new String[]{p + "m1.gelu", p + "mlp2.w"}, p + "m2.mm")
                .node("Add", new String[]{p + "m2.mm", p + "mlp2.b"}, p + "m2")
                .node("Add", new String[]{p + "x1", p + "m2"}, p + "x2");
        return p + "x2";
    }
}

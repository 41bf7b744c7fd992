package dev.repsim.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import dev.repsim.io.InputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts a {@link TfjsModel} (a Keras functional model in TensorFlow.js format) to an ONNX graph built
 * with {@link OnnxGraph}. The graph works in NCHW from its input on: the input {@value TinyModel#INPUT} is
 * [B, C, H, W] (Keras's [B, H, W, C] input transposed once, by the caller), and every kernel is laid out
 * for ONNX when it is written, so no Transpose runs per layer (only a Flatten of a feature map with more
 * than one position transposes to Keras's H, W, C order first). Batch normalisation that directly follows
 * a linear convolution is folded into its weights (in float64, rounded once); other batch normalisation is
 * kept as an ONNX BatchNormalization.
 *
 * <p>Outputs: the model's output as {@value #PROBS} when it ends in a softmax, else {@value #OUTPUT}; and
 * the last Flatten or global pooling layer, the pooled feature vector a classifier head reads, as
 * {@value #FEATURES} [B, D] (when the model has one and it is not itself the output).
 *
 * <p>Layers: InputLayer, Conv2D, DepthwiseConv2D, BatchNormalization, ReLU, Activation, Add, Concatenate,
 * ZeroPadding2D, AveragePooling2D, MaxPooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten,
 * Reshape, Dense, Softmax, and the layers that do nothing at inference (Dropout and its kin). Any other
 * layer type is refused with an error naming the layer.
 */
public final class TfjsToOnnx {
    public static final String FEATURES = "features";
    public static final String PROBS = "probs";
    public static final String OUTPUT = "output";
    static final List<String> IDENTITY = List.of("Dropout", "SpatialDropout2D", "GaussianDropout", "GaussianNoise", "AlphaDropout",
            "ActivityRegularization");
    private static final List<String> POOLED = List.of("Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D");
    /** Largest side, channel count, stride, window or padding accepted: keeps every size computation in int range. */
    static final int MAX_DIM = 1 << 16;

    /** A tensor of the graph: NCHW (rank 4: c, h, w) or [B, c] (rank 2: h = w = 1). */
    record Value(String name, int rank, int c, int h, int w) {
        static Value vector(String name, int c) {
            return new Value(name, 2, c, 1, 1);
        }
    }

    private final TfjsModel model;
    private final OnnxGraph g;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Integer> consumers = new HashMap<>();
    private final Map<String, JsonNode> byName = new HashMap<>();
    private final Set<String> constants = new HashSet<>();
    private final StringBuilder signature = new StringBuilder();

    private TfjsToOnnx(TfjsModel model) {
        this.model = model;
        this.g = new OnnxGraph(model.name());
    }

    /** The ONNX model and a one-line description of its input and outputs, e.g. {@code pixels [B,3,224,224] -> features [B,1280], probs [B,5]}. */
    public record Converted(byte[] onnx, String signature) {}

    /** Converts {@code model}; the same model always gives the same bytes. */
    public static Converted convert(TfjsModel model) {
        TfjsToOnnx t = new TfjsToOnnx(model);
        byte[] bytes = t.build();
        return new Converted(bytes, t.signature.toString());
    }

    private byte[] build() {
        if (model.inputs().size() != 1) throw bad("the model has " + model.inputs().size() + " inputs; one image input is supported");
        for (JsonNode l : model.layers()) {
            String name = l.path("name").asText();
            if (name.isEmpty() || !l.path("name").isTextual()) throw bad("a layer has no name");
            if (byName.put(name, l) != null) throw layer(l, "is named twice");
            for (String in : inboundNames(l)) consumers.merge(in, 1, Integer::sum);
        }
        Set<String> folded = new HashSet<>();
        for (JsonNode l : model.layers()) {
            String name = l.path("name").asText();
            if (folded.contains(name)) continue;
            String type = l.path("class_name").asText();
            JsonNode c = l.path("config");
            if (c.has("data_format") && !c.path("data_format").asText().equals("channels_last")) {
                throw layer(l, "has data_format '" + c.path("data_format").asText() + "'; only channels_last is supported");
            }
            if (type.equals("InputLayer")) {
                input(l);
                continue;
            }
            List<Value> in = inbound(l);
            Value out = switch (type) {
                case "Conv2D", "DepthwiseConv2D" -> {
                    JsonNode bn = foldableNorm(l);
                    Value v = conv(l, single(l, in), bn);
                    if (bn != null) {
                        folded.add(bn.path("name").asText());
                        values.put(bn.path("name").asText(), v);
                    }
                    yield v;
                }
                case "BatchNormalization" -> batchNorm(l, single(l, in));
                case "ReLU" -> relu(l, single(l, in));
                case "Activation" -> activation(l, single(l, in), c.path("activation").asText(), tensor(l));
                case "Softmax" -> softmax(l, single(l, in), tensor(l));
                case "Add" -> add(l, in);
                case "Concatenate" -> concat(l, in);
                case "ZeroPadding2D" -> zeroPad(l, single(l, in));
                case "AveragePooling2D", "MaxPooling2D" -> pool(l, single(l, in), type.startsWith("Average") ? "AveragePool" : "MaxPool");
                case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> globalPool(l, single(l, in));
                case "Flatten" -> flatten(l, single(l, in), tensor(l));
                case "Reshape" -> reshape(l, single(l, in));
                case "Dense" -> dense(l, single(l, in));
                default -> {
                    if (!IDENTITY.contains(type)) {
                        throw layer(l, "has type '" + type + "', which import-tfjs does not convert (supported: InputLayer, Conv2D, "
                                + "DepthwiseConv2D, BatchNormalization, ReLU, Activation, Softmax, Add, Concatenate, ZeroPadding2D, "
                                + "AveragePooling2D, MaxPooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Reshape, Dense, "
                                + String.join(", ", IDENTITY) + ")");
                    }
                    yield single(l, in);
                }
            };
            values.put(name, out);
        }
        outputs();
        signature.setLength(signature.length() - 1);
        return g.toBytes("repsim import-tfjs");
    }

    private void outputs() {
        List<String> outs = model.outputs();
        String pooled = null;
        for (JsonNode l : model.layers()) if (POOLED.contains(l.path("class_name").asText())) pooled = l.path("name").asText();
        if (pooled != null && !outs.contains(pooled) && values.get(pooled).rank() == 2) {
            Value f = values.get(pooled);
            g.node("Identity", new String[]{f.name()}, FEATURES).output(FEATURES, -1, f.c());
            signature.append(' ').append(FEATURES).append(" [B,").append(f.c()).append("],");
        }
        for (int i = 0; i < outs.size(); i++) {
            String o = outs.get(i);
            if (!values.containsKey(o)) throw bad("output layer '" + o + "' is not among the model's layers");
            Value v = values.get(o);
            String name = outs.size() > 1 ? OUTPUT + i : endsInSoftmax(o) ? PROBS : OUTPUT;
            g.node("Identity", new String[]{v.name()}, name);
            if (v.rank() == 2) g.output(name, -1, v.c());
            else g.output(name, -1, v.c(), v.h(), v.w());
            signature.append(' ').append(name).append(" [B,").append(v.c()).append(v.rank() == 2 ? "" : "," + v.h() + "," + v.w()).append("],");
        }
    }

    private boolean endsInSoftmax(String layerName) {
        JsonNode l = byName.get(layerName);
        while (l != null && IDENTITY.contains(l.path("class_name").asText())) l = byName.get(inboundNames(l).getFirst());
        if (l == null) return false;
        return l.path("class_name").asText().equals("Softmax") || l.path("config").path("activation").asText().equals("softmax");
    }

    private void input(JsonNode l) {
        JsonNode shape = l.path("config").path("batch_input_shape");
        if (shape.size() != 4 || !fits(shape.path(1)) || !fits(shape.path(2)) || !fits(shape.path(3))) {
            throw layer(l, "has input shape " + shape + "; an image input [null, H, W, C] with fixed H, W and C is needed");
        }
        Value v = new Value(TinyModel.INPUT, 4, shape.path(3).asInt(), shape.path(1).asInt(), shape.path(2).asInt());
        g.input(TinyModel.INPUT, -1, v.c(), v.h(), v.w());
        signature.append(TinyModel.INPUT).append(" [B,").append(v.c()).append(',').append(v.h()).append(',').append(v.w()).append("] ->");
        values.put(l.path("name").asText(), v);
    }

    /** The BatchNormalization this linear convolution alone feeds, or null. */
    private JsonNode foldableNorm(JsonNode conv) {
        String name = conv.path("name").asText();
        if (!conv.path("config").path("activation").asText("linear").equals("linear") || consumers.getOrDefault(name, 0) != 1) return null;
        for (JsonNode l : model.layers()) {
            if (l.path("class_name").asText().equals("BatchNormalization") && inboundNames(l).equals(List.of(name))) return l;
        }
        return null;
    }

    private Value conv(JsonNode l, Value x, JsonNode bn) {
        String name = tensor(l);
        JsonNode c = l.path("config");
        boolean depthwise = l.path("class_name").asText().equals("DepthwiseConv2D");
        Params.Tensor k = model.weight(l.path("name").asText(), depthwise ? "depthwise_kernel" : "kernel");
        if (k.dims().length != 4 || k.dims()[2] != x.c()) {
            throw layer(l, "has a kernel of shape " + java.util.Arrays.toString(k.dims()) + " for an input of " + x.c() + " channels");
        }
        for (long d : k.dims()) if (d < 1 || d > MAX_DIM) throw layer(l, "has a kernel of shape " + java.util.Arrays.toString(k.dims()));
        int kh = (int) k.dims()[0], kw = (int) k.dims()[1], in = x.c(), last = (int) k.dims()[3];
        if (depthwise && (long) in * last > MAX_DIM) throw layer(l, "makes more than " + MAX_DIM + " channels");
        int outC = depthwise ? in * last : last;
        float[] w = new float[outC * (depthwise ? 1 : in) * kh * kw];
        for (int y = 0; y < kh; y++) {
            for (int xx = 0; xx < kw; xx++) {
                for (int i = 0; i < in; i++) {
                    for (int o = 0; o < last; o++) {
                        float v = k.values()[((y * kw + xx) * in + i) * last + o];
                        if (depthwise) w[((i * last + o) * kh + y) * kw + xx] = v;
                        else w[((o * in + i) * kh + y) * kw + xx] = v;
                    }
                }
            }
        }
        float[] b = c.path("use_bias").asBoolean(true) ? vector(l, model.weight(l.path("name").asText(), depthwise ? "depthwise_bias" : "bias"), outC).clone() : new float[outC];
        if (bn != null) fold(bn, w, b, outC);
        int[] s = pair(l, c.path("strides"), 1), d = pair(l, c.path("dilation_rate"), 1);
        int[] pads = new int[4];
        int oh = window(l, x.h(), (kh - 1L) * d[0] + 1, s[0], c.path("padding").asText("valid"), pads, 0);
        int ow = window(l, x.w(), (kw - 1L) * d[1] + 1, s[1], c.path("padding").asText("valid"), pads, 1);
        g.initializer(name + "/w", new long[]{outC, depthwise ? 1 : in, kh, kw}, w).initializer(name + "/b", new long[]{outC}, b);
        String pre = name + "/conv";
        g.node("Conv", new String[]{x.name(), name + "/w", name + "/b"}, pre, "kernel_shape", new int[]{kh, kw}, "strides", s,
                "dilations", d, "pads", pads, "group", depthwise ? in : 1);
        return activation(l, new Value(pre, 4, outC, oh, ow), c.path("activation").asText("linear"), name);
    }

    /** Folds y = γ(x − μ)/√(σ² + ε) + β into the convolution's weights and bias, per output channel. */
    private void fold(JsonNode bn, float[] w, float[] b, int channels) {
        double[][] p = normParams(bn, channels);
        int per = w.length / channels;
        for (int o = 0; o < channels; o++) {
            double scale = p[0][o] / Math.sqrt(p[3][o] + p[4][0]);
            for (int i = o * per; i < (o + 1) * per; i++) w[i] = (float) (w[i] * scale);
            b[o] = (float) ((b[o] - p[2][o]) * scale + p[1][o]);
        }
        for (float v : w) if (!Float.isFinite(v)) throw layer(bn, "folded into the convolution before it gives weights beyond float32");
        for (float v : b) if (!Float.isFinite(v)) throw layer(bn, "folded into the convolution before it gives biases beyond float32");
    }

    /** γ, β, μ, σ² per channel and {ε}, with γ = 1 and β = 0 where the layer has no scale or centre. */
    private double[][] normParams(JsonNode bn, int channels) {
        String name = bn.path("name").asText();
        JsonNode c = bn.path("config");
        int axis = c.path("axis").isArray() ? c.path("axis").path(0).asInt() : c.path("axis").asInt(-1);
        if (axis != -1 && axis != 3 && axis != 1) throw layer(bn, "normalises axis " + axis + "; only the channel axis is supported");
        double[][] p = new double[5][];
        p[0] = c.path("scale").asBoolean(true) ? doubles(bn, model.weight(name, "gamma"), channels) : filled(channels, 1);
        p[1] = c.path("center").asBoolean(true) ? doubles(bn, model.weight(name, "beta"), channels) : filled(channels, 0);
        p[2] = doubles(bn, model.weight(name, "moving_mean"), channels);
        p[3] = doubles(bn, model.weight(name, "moving_variance"), channels);
        p[4] = new double[]{c.path("epsilon").asDouble(1e-3)};
        for (double v : p[3]) if (!(v + p[4][0] > 0)) throw layer(bn, "has a moving variance " + v + " that is not above -epsilon");
        return p;
    }

    private double[] doubles(JsonNode l, Params.Tensor t, int n) {
        if (t.values().length != n) throw layer(l, "has " + t.values().length + " parameters per statistic for " + n + " channels");
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = t.values()[i];
        return d;
    }

    private static double[] filled(int n, double v) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, v);
        return d;
    }

    private Value batchNorm(JsonNode l, Value x) {
        String name = tensor(l);
        double[][] p = normParams(l, x.c());
        String[] params = {"gamma", "beta", "moving_mean", "moving_variance"};
        String[] inputs = new String[5];
        inputs[0] = x.name();
        for (int i = 0; i < 4; i++) {
            float[] f = new float[x.c()];
            for (int j = 0; j < f.length; j++) f[j] = (float) p[i][j];
            g.initializer(name + "/" + params[i], new long[]{x.c()}, f);
            inputs[i + 1] = name + "/" + params[i];
        }
        g.node("BatchNormalization", inputs, name, "epsilon", (float) p[4][0]);
        return withName(x, name);
    }

    private Value relu(JsonNode l, Value x) {
        String name = tensor(l);
        JsonNode c = l.path("config");
        double slope = c.path("negative_slope").asDouble(0), threshold = c.path("threshold").asDouble(0);
        boolean capped = c.hasNonNull("max_value");
        if (threshold != 0) throw layer(l, "has threshold " + threshold + "; only 0 is supported");
        if (!Double.isFinite(slope) || capped && !(c.path("max_value").asDouble() >= 0)) {
            throw layer(l, "has negative_slope " + slope + " and max_value " + c.path("max_value") + " (expected finite, max_value >= 0)");
        }
        if (slope != 0) {
            if (capped) throw layer(l, "has both negative_slope and max_value; not supported");
            g.node("LeakyRelu", new String[]{x.name()}, name, "alpha", (float) slope);
        } else if (capped) {
            g.node("Clip", new String[]{x.name(), scalar(0), scalar((float) c.path("max_value").asDouble())}, name);
        } else {
            g.node("Relu", new String[]{x.name()}, name);
        }
        return withName(x, name);
    }

    /** Applies a Keras activation to {@code x}; the result is named {@code name} (linear: {@code x} as it is). */
    private Value activation(JsonNode l, Value x, String act, String name) {
        switch (act) {
            case "linear" -> {
                return x;
            }
            case "relu" -> g.node("Relu", new String[]{x.name()}, name);
            case "relu6" -> g.node("Clip", new String[]{x.name(), scalar(0), scalar(6)}, name);
            case "sigmoid" -> g.node("Sigmoid", new String[]{x.name()}, name);
            case "tanh" -> g.node("Tanh", new String[]{x.name()}, name);
            case "softmax" -> {
                return softmax(l, x, name);
            }
            default -> throw layer(l, "has activation '" + act + "' (supported: linear, relu, relu6, sigmoid, tanh, softmax)");
        }
        return withName(x, name);
    }

    private Value softmax(JsonNode l, Value x, String name) {
        int axis = l.path("config").path("axis").asInt(-1);
        if (axis != -1 && axis != x.rank() - 1) throw layer(l, "takes the softmax over axis " + axis + "; only the last (channel) axis is supported");
        // the channel axis is 1 in NCHW as in [B, D]
        g.node("Softmax", new String[]{x.name()}, name, "axis", 1);
        return withName(x, name);
    }

    private Value add(JsonNode l, List<Value> in) {
        if (in.size() < 2) throw layer(l, "adds " + in.size() + " tensors");
        String name = tensor(l);
        Value first = in.getFirst();
        String acc = first.name();
        for (int i = 1; i < in.size(); i++) {
            Value v = in.get(i);
            if (v.rank() != first.rank() || v.c() != first.c() || v.h() != first.h() || v.w() != first.w()) {
                throw layer(l, "adds tensors of different shapes");
            }
            String out = i == in.size() - 1 ? name : name + "/" + i;
            g.node("Add", new String[]{acc, v.name()}, out);
            acc = out;
        }
        return withName(first, name);
    }

    private Value concat(JsonNode l, List<Value> in) {
        Value first = in.getFirst();
        int axis = l.path("config").path("axis").asInt(-1);
        if (axis != -1 && axis != first.rank() - 1) throw layer(l, "concatenates along axis " + axis + "; only the channel axis is supported");
        int c = 0;
        for (Value v : in) {
            if (v.rank() != first.rank() || v.h() != first.h() || v.w() != first.w()) throw layer(l, "concatenates tensors of different shapes");
            c += v.c();
        }
        if (c > MAX_DIM) throw layer(l, "makes more than " + MAX_DIM + " channels");
        String name = tensor(l);
        g.node("Concat", in.stream().map(Value::name).toArray(String[]::new), name, "axis", 1);
        return new Value(name, first.rank(), c, first.h(), first.w());
    }

    private Value zeroPad(JsonNode l, Value x) {
        JsonNode p = l.path("config").path("padding");
        int top, bottom, left, right;
        if (p.isNumber()) {
            top = bottom = left = right = padding(p);
        } else if (p.size() == 2 && p.path(0).isNumber()) {
            top = bottom = padding(p.path(0));
            left = right = padding(p.path(1));
        } else if (p.size() == 2 && p.path(0).size() == 2 && p.path(1).size() == 2) {
            top = padding(p.path(0).path(0));
            bottom = padding(p.path(0).path(1));
            left = padding(p.path(1).path(0));
            right = padding(p.path(1).path(1));
        } else {
            top = bottom = left = right = -1;
        }
        if (Math.min(Math.min(top, bottom), Math.min(left, right)) < 0) {
            throw layer(l, "has padding " + p + " (expected n, [h, w] or [[top, bottom], [left, right]], each 0.." + MAX_DIM + ")");
        }
        requireSpatial(l, x);
        if ((long) x.h() + top + bottom > MAX_DIM || (long) x.w() + left + right > MAX_DIM) throw layer(l, "pads beyond " + MAX_DIM + " pixels");
        String name = tensor(l);
        g.initializer(name + "/pads", new long[]{8}, new long[]{0, 0, top, left, 0, 0, bottom, right});
        g.node("Pad", new String[]{x.name(), name + "/pads"}, name);
        return new Value(name, 4, x.c(), x.h() + top + bottom, x.w() + left + right);
    }

    private Value pool(JsonNode l, Value x, String op) {
        requireSpatial(l, x);
        JsonNode c = l.path("config");
        int[] k = pair(l, c.path("pool_size"), 2);
        int[] s = c.hasNonNull("strides") ? pair(l, c.path("strides"), 1) : k;
        int[] pads = new int[4];
        String padding = c.path("padding").asText("valid");
        int oh = window(l, x.h(), k[0], s[0], padding, pads, 0), ow = window(l, x.w(), k[1], s[1], padding, pads, 1);
        String name = tensor(l);
        // Keras averages over the window's positions inside the image only: ONNX's count_include_pad = 0
        g.node(op, new String[]{x.name()}, name, "kernel_shape", k, "strides", s, "pads", pads);
        return new Value(name, 4, x.c(), oh, ow);
    }

    private Value globalPool(JsonNode l, Value x) {
        requireSpatial(l, x);
        String name = tensor(l);
        String op = l.path("class_name").asText().startsWith("GlobalAverage") ? "GlobalAveragePool" : "GlobalMaxPool";
        if (l.path("config").path("keepdims").asBoolean(false)) {
            g.node(op, new String[]{x.name()}, name);
            return new Value(name, 4, x.c(), 1, 1);
        }
        g.node(op, new String[]{x.name()}, name + "/pool").node("Flatten", new String[]{name + "/pool"}, name, "axis", 1);
        return Value.vector(name, x.c());
    }

    /** Keras flattens in H, W, C order: a map with more than one position is transposed to NHWC first. */
    private Value flatten(JsonNode l, Value x, String name) {
        if (x.rank() == 2) {
            g.node("Identity", new String[]{x.name()}, name);
            return withName(x, name);
        }
        String src = x.name();
        if ((long) x.c() * x.h() * x.w() > Integer.MAX_VALUE) throw layer(l, "flattens more than " + Integer.MAX_VALUE + " values");
        if (x.h() * x.w() > 1) {
            g.node("Transpose", new String[]{src}, name + "/nhwc", "perm", new int[]{0, 2, 3, 1});
            src = name + "/nhwc";
        }
        g.node("Flatten", new String[]{src}, name, "axis", 1);
        return Value.vector(name, x.c() * x.h() * x.w());
    }

    private Value reshape(JsonNode l, Value x) {
        JsonNode t = l.path("config").path("target_shape");
        String name = tensor(l);
        long total = (long) x.c() * x.h() * x.w();
        if (t.size() == 1 && t.path(0).asLong() == total) return flatten(l, x, name);
        if (t.size() == 3 && fits(t.path(0)) && fits(t.path(1)) && fits(t.path(2)) && (long) t.path(0).asInt() * t.path(1).asInt() * t.path(2).asInt() == total) {
            Value flat = flatten(l, x, name + "/flat");
            g.initializer(name + "/shape", new long[]{4}, new long[]{0, t.path(0).asInt(), t.path(1).asInt(), t.path(2).asInt()});
            g.node("Reshape", new String[]{flat.name(), name + "/shape"}, name + "/nhwc")
                    .node("Transpose", new String[]{name + "/nhwc"}, name, "perm", new int[]{0, 3, 1, 2});
            return new Value(name, 4, t.path(2).asInt(), t.path(0).asInt(), t.path(1).asInt());
        }
        throw layer(l, "reshapes " + total + " values to " + t + "; only fixed [D] or [H, W, C] targets of the same size are supported");
    }

    private Value dense(JsonNode l, Value x) {
        String name = tensor(l);
        if (x.rank() != 2) throw layer(l, "is applied to a feature map; only Dense on a vector (after Flatten or pooling) is supported");
        Params.Tensor k = model.weight(l.path("name").asText(), "kernel");
        if (k.dims().length != 2 || k.dims()[0] != x.c()) {
            throw layer(l, "has a kernel of shape " + java.util.Arrays.toString(k.dims()) + " for an input of " + x.c() + " features");
        }
        int units = (int) k.dims()[1];
        float[] b = l.path("config").path("use_bias").asBoolean(true) ? vector(l, model.weight(l.path("name").asText(), "bias"), units) : new float[units];
        g.initializer(name + "/w", k.dims(), k.values()).initializer(name + "/b", new long[]{units}, b);
        g.node("Gemm", new String[]{x.name(), name + "/w", name + "/b"}, name + "/gemm");
        return activation(l, Value.vector(name + "/gemm", units), l.path("config").path("activation").asText("linear"), name);
    }

    /** Output size along one axis; writes the ONNX begin/end pads of a "same" window (TensorFlow puts the odd one at the end). */
    private int window(JsonNode l, int size, long extent, int stride, String padding, int[] pads, int axis) {
        switch (padding) {
            case "valid" -> {
                if (size < extent) throw layer(l, "has a window of " + extent + " on an input of " + size);
                return (int) ((size - extent) / stride + 1);
            }
            case "same" -> {
                long out = (size + (long) stride - 1) / stride;
                long total = Math.max((out - 1) * stride + extent - size, 0);
                if (total > MAX_DIM) throw layer(l, "has a window of " + extent + " on an input of " + size);
                pads[axis] = (int) (total / 2);
                pads[axis + 2] = (int) (total - total / 2);
                return (int) out;
            }
            default -> throw layer(l, "has padding '" + padding + "' (expected valid or same)");
        }
    }

    private int[] pair(JsonNode l, JsonNode n, int dflt) {
        if (n.isMissingNode() || n.isNull()) return new int[]{dflt, dflt};
        if (fits(n)) return new int[]{n.asInt(), n.asInt()};
        if (n.size() == 2 && fits(n.path(0)) && fits(n.path(1))) return new int[]{n.path(0).asInt(), n.path(1).asInt()};
        throw layer(l, "has " + n + " where a pair of integers 1.." + MAX_DIM + " is expected");
    }

    /** A padding 0..{@value #MAX_DIM}, or −1. */
    private static int padding(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 0 && n.asInt() <= MAX_DIM ? n.asInt() : -1;
    }

    /** An integer 1..{@value #MAX_DIM}. */
    private static boolean fits(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() >= 1 && n.asInt() <= MAX_DIM;
    }

    private float[] vector(JsonNode l, Params.Tensor t, int n) {
        if (t.values().length != n) throw layer(l, "has a bias of " + t.values().length + " values for " + n + " channels");
        return t.values();
    }

    private String scalar(float v) {
        String name = "const/" + Float.toString(v);
        if (constants.add(name)) g.initializer(name, new long[]{}, new float[]{v});
        return name;
    }

    private void requireSpatial(JsonNode l, Value x) {
        if (x.rank() != 4) throw layer(l, "needs a feature map [B, H, W, C] but gets a vector");
    }

    private static Value withName(Value x, String name) {
        return new Value(name, x.rank(), x.c(), x.h(), x.w());
    }

    /** The graph's name for a layer's output: prefixed, so that no layer name can clash with the graph's inputs and outputs. */
    private static String tensor(JsonNode l) {
        return "layer/" + l.path("name").asText();
    }

    private static List<String> inboundNames(JsonNode l) {
        List<String> names = new ArrayList<>();
        l.path("inbound_nodes").path(0).forEach(e -> names.add(e.path(0).asText()));
        return names;
    }

    private List<Value> inbound(JsonNode l) {
        if (l.path("inbound_nodes").size() != 1) {
            throw layer(l, "is called " + l.path("inbound_nodes").size() + " times; shared layers are not supported");
        }
        List<Value> in = new ArrayList<>();
        for (String n : inboundNames(l)) in.add(value(l, n));
        if (in.isEmpty()) throw layer(l, "has no inputs");
        return in;
    }

    private Value value(JsonNode l, String name) {
        Value v = values.get(name);
        if (v == null) throw layer(l, "reads layer '" + name + "', which does not come before it");
        return v;
    }

    private Value single(JsonNode l, List<Value> in) {
        if (in.size() != 1) throw layer(l, "has " + in.size() + " inputs; one is expected");
        return in.getFirst();
    }

    private InputException layer(JsonNode l, String problem) {
        return new InputException(model.file(), "layer '" + l.path("name").asText() + "' (" + l.path("class_name").asText() + ") " + problem);
    }

    private InputException bad(String problem) {
        return new InputException(model.file(), problem);
    }
}

package dev.repsim.onnx;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes small TensorFlow.js layers models (model.json + one weight shard) for the converter tests:
 * layers are appended in order, each reading the previous one unless told otherwise, and weights are
 * float32 unless written with a quantisation.
 */
public final class TfjsFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    private final ArrayNode layers = JSON.createArrayNode();
    private final ArrayNode weights = JSON.createArrayNode();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final SplittableRandom random;
    private final java.util.Map<String, float[]> written = new java.util.HashMap<>();
    private String last;

    public TfjsFixture(long seed) {
        random = new SplittableRandom(seed);
    }

    /** The input layer, [null, h, w, c]. */
    public TfjsFixture input(String name, int h, int w, int c) {
        ObjectNode cfg = JSON.createObjectNode();
        cfg.putArray("batch_input_shape").addNull().add(h).add(w).add(c);
        cfg.put("dtype", "float32").put("name", name);
        ObjectNode l = layers.addObject().put("name", name).put("class_name", "InputLayer");
        l.set("config", cfg);
        l.putArray("inbound_nodes");
        last = name;
        return this;
    }

    /** A layer reading {@code from} (null: the previous layer); {@code config} is a JSON object text. */
    public TfjsFixture layer(String name, String type, String config, String... from) {
        ObjectNode l = layers.addObject().put("name", name).put("class_name", type);
        try {
            ObjectNode cfg = (ObjectNode) JSON.readTree(config);
            cfg.put("name", name);
            l.set("config", cfg);
        } catch (IOException e) {
            throw new IllegalArgumentException(config, e);
        }
        ArrayNode call = l.putArray("inbound_nodes").addArray();
        for (String f : from.length == 0 ? new String[]{last} : from) call.addArray().add(f).add(0).add(0).addObject();
        last = name;
        return this;
    }

    /** A model using every layer kind the converter knows, on a 6×7×3 input (the converter and fuzz tests' seed). */
    public static TfjsFixture everyLayer(long seed) {
        TfjsFixture f = new TfjsFixture(seed).input("in", 6, 7, 3);
        f.layer("conv1", "Conv2D", "{\"filters\":4,\"kernel_size\":[3,3],\"strides\":[2,2],\"padding\":\"same\",\"data_format\":\"channels_last\","
                + "\"dilation_rate\":[1,1],\"activation\":\"relu\",\"use_bias\":true}");
        f.weight("conv1/kernel", 0.5, 0, 3, 3, 3, 4);
        f.weight("conv1/bias", 0.1, 0, 4);
        f.layer("dw", "DepthwiseConv2D", "{\"kernel_size\":[3,3],\"strides\":[1,1],\"padding\":\"same\",\"depth_multiplier\":2,"
                + "\"data_format\":\"channels_last\",\"activation\":\"linear\",\"use_bias\":false}");
        f.weight("dw/depthwise_kernel", 0.5, 0, 3, 3, 4, 2);
        f.layer("bn", "BatchNormalization", "{\"axis\":-1,\"epsilon\":0.001,\"center\":true,\"scale\":true}");
        f.weight("bn/gamma", 0.2, 1, 8);
        f.weight("bn/beta", 0.2, 0, 8);
        f.weight("bn/moving_mean", 0.2, 0, 8);
        f.weight("bn/moving_variance", 0.1, 1, 8);
        f.layer("relu6", "ReLU", "{\"max_value\":6,\"negative_slope\":0,\"threshold\":0}");
        f.layer("zp", "ZeroPadding2D", "{\"padding\":[[1,0],[0,1]],\"data_format\":\"channels_last\"}");
        f.layer("avg", "AveragePooling2D", "{\"pool_size\":[2,2],\"strides\":[1,1],\"padding\":\"valid\",\"data_format\":\"channels_last\"}");
        f.layer("cat", "Concatenate", "{\"axis\":-1}", "avg", "relu6");
        f.layer("max", "MaxPooling2D", "{\"pool_size\":[2,2],\"strides\":[2,2],\"padding\":\"same\",\"data_format\":\"channels_last\"}");
        f.layer("bn2", "BatchNormalization", "{\"axis\":-1,\"epsilon\":0.01,\"center\":false,\"scale\":true}");
        f.weight("bn2/gamma", 0.2, 1, 16);
        f.weight("bn2/moving_mean", 0.2, 0, 16);
        f.weight("bn2/moving_variance", 0.1, 1, 16);
        f.layer("sum", "Add", "{}", "bn2", "max");
        f.layer("flat", "Flatten", "{\"data_format\":\"channels_last\"}");
        f.layer("dense", "Dense", "{\"units\":3,\"activation\":\"softmax\",\"use_bias\":true}");
        f.weight("dense/kernel", 0.3, 0, 64, 3);
        f.weight("dense/bias", 0.1, 0, 3);
        f.layer("drop", "Dropout", "{\"rate\":0.5}");
        return f;
    }

    /** Random float32 weight values, N(0, scale²) (plus {@code shift}); returns them. */
    public float[] weight(String name, double scale, double shift, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (shift + scale * random.nextGaussian());
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        data.writeBytes(b.array());
        spec(name, shape);
        written.put(name, v);
        return v;
    }

    /** A weight stored as raw bytes with a quantization entry (e.g. {"dtype":"uint8","min":..,"scale":..}). */
    public void quantised(String name, byte[] raw, String quantization, int... shape) throws IOException {
        data.writeBytes(raw);
        spec(name, shape).set("quantization", JSON.readTree(quantization));
    }

    private ObjectNode spec(String name, int[] shape) {
        ObjectNode w = weights.addObject().put("name", name).put("dtype", "float32");
        ArrayNode s = w.putArray("shape");
        for (int d : shape) s.add(d);
        return w;
    }

    /** The float32 values written for weight {@code name}. */
    public float[] values(String name) {
        return written.get(name);
    }

    /** Writes {@code dir/model.json} and {@code dir/group1-shard1of1.bin} with {@code outputs} as the model's outputs. */
    public Path write(Path dir, String... outputs) throws IOException {
        Files.createDirectories(dir);
        ObjectNode root = JSON.createObjectNode().put("format", "layers-model");
        ObjectNode cfg = root.putObject("modelTopology").putObject("model_config").put("class_name", "Model").putObject("config");
        cfg.put("name", "fixture");
        cfg.set("layers", layers);
        cfg.putArray("input_layers").addArray().add(layers.get(0).get("name").asText()).add(0).add(0);
        ArrayNode outs = cfg.putArray("output_layers");
        for (String o : outputs.length == 0 ? new String[]{last} : outputs) outs.addArray().add(o).add(0).add(0);
        ObjectNode group = root.putArray("weightsManifest").addObject();
        group.putArray("paths").add("group1-shard1of1.bin");
        group.set("weights", weights);
        Files.write(dir.resolve("group1-shard1of1.bin"), data.toByteArray());
        Files.writeString(dir.resolve("model.json"), JSON.writeValueAsString(root));
        return dir;
    }
}

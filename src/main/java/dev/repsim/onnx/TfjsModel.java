package dev.repsim.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.InputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TensorFlow.js layers model as saved by {@code tensorflowjs_converter} or {@code model.save()}: the folder's
 * {@code model.json} (the Keras model topology and a weights manifest) and the binary weight shards it
 * names. Each manifest group's shards are concatenated and its weights read in order; quantised weights are
 * dequantised as TensorFlow.js does ({@code uint8}/{@code uint16}: q·scale + min computed in float64 and
 * rounded once to float32; {@code float16}: IEEE half precision).
 *
 * @param file    the model.json
 * @param name    the Keras model's name
 * @param layers  the functional model's layers, in the file's (topological) order
 * @param inputs  names of the input layers
 * @param outputs names of the output layers
 * @param weights weight name → dimensions (as TensorFlow.js gives them) and float32 values
 */
public record TfjsModel(Path file, String name, List<JsonNode> layers, List<String> inputs, List<String> outputs,
                        Map<String, Params.Tensor> weights) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Largest weight data read: what one Java array holds. */
    static final int MAX_BYTES = Integer.MAX_VALUE - 8;

    /** Reads {@code dir/model.json} (or {@code dir} itself when it is the JSON file) and its weight shards. */
    public static TfjsModel read(Path dir) {
        Path file = dir.getFileName() != null && dir.getFileName().toString().endsWith(".json") ? dir : dir.resolve("model.json");
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new InputException(file, "no such file (expected a TensorFlow.js model.json)");
        } catch (IOException e) {
            throw new InputException(file, "not valid JSON: " + InputException.firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) throw new InputException(file, "not a TensorFlow.js model (no JSON object)");
        JsonNode topology = root.path("modelTopology");
        JsonNode config = topology.has("model_config") ? topology.path("model_config") : topology;
        String cls = config.path("class_name").asText();
        if (!cls.equals("Model") && !cls.equals("Functional")) {
            throw new InputException(file, "modelTopology is a '" + cls + "'; only functional Keras models (class Model or Functional) are supported");
        }
        JsonNode c = config.path("config");
        List<JsonNode> layers = new ArrayList<>();
        c.path("layers").forEach(layers::add);
        if (layers.isEmpty()) throw new InputException(file, "the model has no layers");
        List<String> inputs = endpoints(file, c.path("input_layers"), "input_layers");
        List<String> outputs = endpoints(file, c.path("output_layers"), "output_layers");
        JsonNode manifest = root.path("weightsManifest");
        if (!manifest.isArray()) throw new InputException(file, "no weightsManifest array");
        Map<String, Params.Tensor> weights = new LinkedHashMap<>();
        Path folder = file.toAbsolutePath().normalize().getParent();
        for (JsonNode group : manifest) readGroup(file, folder, group, weights);
        return new TfjsModel(file, c.path("name").asText("model"), List.copyOf(layers), inputs, outputs, weights);
    }

    private static List<String> endpoints(Path file, JsonNode list, String key) {
        List<String> names = new ArrayList<>();
        list.forEach(e -> names.add(e.path(0).asText()));
        if (names.isEmpty() || names.contains("")) throw new InputException(file, "modelTopology lacks '" + key + "'");
        return List.copyOf(names);
    }

    private static void readGroup(Path file, Path folder, JsonNode group, Map<String, Params.Tensor> out) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (JsonNode p : group.path("paths")) {
            // a shard is a file of the model's own folder: no other path is read
            Path shard = folder.resolve(p.asText()).normalize();
            if (p.asText().isEmpty() || !shard.startsWith(folder) || shard.equals(folder)) {
                throw new InputException(file, "weight shard path '" + p.asText() + "' is not a file inside the model's folder");
            }
            try {
                if (!Files.isRegularFile(shard)) throw new InputException(file, "no such weight shard " + shard);
                if (Files.size(shard) > MAX_BYTES - bytes.size()) throw new InputException(file, "weight shards larger than " + MAX_BYTES + " bytes");
                bytes.write(Files.readAllBytes(shard));
            } catch (IOException e) {
                throw new InputException(file, "cannot read weight shard " + shard + ": " + InputException.firstLine(e.toString()));
            }
        }
        ByteBuffer data = ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode w : group.path("weights")) {
            String name = w.path("name").asText();
            long[] dims = new long[w.path("shape").size()];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                JsonNode d = w.path("shape").path(i);
                // each dimension at most the shard size: the product then stays in range until it exceeds the data
                if (!d.canConvertToInt() || d.asInt() < 0 || d.asLong() > MAX_BYTES) {
                    throw new InputException(file, "weight '" + name + "' has a bad shape " + w.path("shape"));
                }
                dims[i] = d.asLong();
                count = Math.min(count * dims[i], MAX_BYTES + 1L);
            }
            if (!w.path("dtype").asText().equals("float32")) {
                throw new InputException(file, "weight '" + name + "' has dtype '" + w.path("dtype").asText() + "'; only float32 weights are supported");
            }
            float[] values = decode(file, name, w.path("quantization"), data, count);
            if (out.put(name, new Params.Tensor(dims, values)) != null) throw new InputException(file, "weight '" + name + "' listed twice");
        }
        if (data.hasRemaining()) {
            throw new InputException(file, "weight group " + group.path("paths") + " has " + data.remaining() + " bytes more than its weights need");
        }
    }

    private static float[] decode(Path file, String name, JsonNode q, ByteBuffer data, long count) {
        String type = q.isMissingNode() ? "float32" : q.path("dtype").asText();
        int bytesPer = switch (type) {
            case "float32" -> 4;
            case "uint16", "float16" -> 2;
            case "uint8" -> 1;
            default -> throw new InputException(file, "weight '" + name + "' has unknown quantization dtype '" + type + "' (expected uint8, uint16 or float16)");
        };
        if (data.remaining() < count * bytesPer) {
            throw new InputException(file, "weight shards end inside weight '" + name + "' (" + count * bytesPer + " bytes needed, " + data.remaining() + " left)");
        }
        int n = (int) count;
        float[] v = new float[n];
        switch (type) {
            case "float32" -> data.asFloatBuffer().get(v);
            case "float16" -> {
                for (int i = 0; i < n; i++) v[i] = Float.float16ToFloat(data.getShort(data.position() + 2 * i));
            }
            default -> {
                if (!q.path("scale").isNumber() || !q.path("min").isNumber()) {
                    throw new InputException(file, "weight '" + name + "' is quantised to " + type + " without numeric 'min' and 'scale'");
                }
                double scale = q.path("scale").asDouble(), min = q.path("min").asDouble();
                for (int i = 0; i < n; i++) {
                    int code = bytesPer == 1 ? data.get(data.position() + i) & 0xff : data.getShort(data.position() + 2 * i) & 0xffff;
                    v[i] = (float) (code * scale + min);
                }
            }
        }
        data.position(data.position() + n * bytesPer);
        for (float x : v) {
            if (!Float.isFinite(x)) throw new InputException(file, "weight '" + name + "' holds NaN or Inf");
        }
        return v;
    }

    /** The weight {@code layer/param} (e.g. {@code Conv1/kernel}), or an error naming the layer. */
    public Params.Tensor weight(String layer, String param) {
        Params.Tensor t = weights.get(layer + "/" + param);
        if (t == null) throw new InputException(file, "layer '" + layer + "' needs weight '" + layer + "/" + param + "', which the manifest lacks");
        return t;
    }
}

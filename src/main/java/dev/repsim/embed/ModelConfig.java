package dev.repsim.embed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.repsim.image.Resampler;
import dev.repsim.io.InputException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * How to feed a model and read its embedding: preprocessing (resize the shorter side to {@code resize}
 * with {@code interpolation}, centre-crop {@code crop}×{@code crop}, RGB in [0, 1], (x − mean)/std per
 * channel, NCHW float32), the input name (null: the model's only input), the output name, and pooling of
 * token outputs. Built-in presets match how each model family is evaluated by its authors:
 * <ul>
 *   <li>{@code dinov2}: ViT-S/14 or ViT-B/14, Resize(256, bicubic) + CenterCrop(224), ImageNet mean/std,
 *       output {@code tokens} [B, 1+256, D] (the docs' export recipe leaves register tokens out), CLS token (Oquab et al. 2023, linear-probe transform);</li>
 *   <li>{@code mae}: ViT-B/16, Resize(256, bicubic) + CenterCrop(224), output {@code tokens} [B, 197, 768],
 *       CLS token (use {@code "pooling": "mean"} in a config for the mean of patch tokens; He et al. 2022);</li>
 *   <li>{@code swav}: ResNet-50, Resize(256, bilinear) + CenterCrop(224), ImageNet mean with SwaV's std
 *       (0.228, 0.224, 0.225), output {@code features} [B, 2048], the global-average-pooled trunk (Caron et al. 2020);</li>
 *   <li>{@code mobilenet-v2}: the nsfwjs MobileNetV2 ({@code models/mobilenet-v2}), RGB in [0, 1] without
 *       mean/std as nsfwjs feeds it, Resize(224, bilinear) + CenterCrop(224), output {@code features} [B, 1280];</li>
 *   <li>{@code u2netp-encoder}: U²-Net-p's deepest encoder stage, pooled (the built-in model of that name),
 *       Resize(320, bilinear) + CenterCrop(320), ImageNet mean/std, output {@code features} [B, 64] (U²-Net's
 *       own loader instead divides by the image's maximum and squashes the image to 320×320).</li>
 * </ul>
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ModelConfig(
        @JsonProperty("name") String name,
        @JsonProperty("input") String input,
        @JsonProperty("output") String output,
        @JsonProperty("pooling") String pooling,
        @JsonProperty("skipTokens") int skipTokens,
        @JsonProperty("resize") int resize,
        @JsonProperty("crop") int crop,
        @JsonProperty("interpolation") String interpolation,
        @JsonProperty("mean") double[] mean,
        @JsonProperty("std") double[] std) implements java.io.Serializable {

    /** Largest resize and crop side accepted. */
    static final int MAX_SIDE = 8192;
    static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
    static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};
    /** SwaV's own normalisation (facebookresearch/swav: eval_linear.py, eval_semisup.py, the multi-crop dataset): red 0.228. */
    static final double[] SWAV_STD = {0.228, 0.224, 0.225};
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private static final java.util.List<String> FIELDS = java.util.List.of(
            "name", "base", "input", "output", "pooling", "skipTokens", "resize", "crop", "interpolation", "mean", "std");

    public static final Map<String, ModelConfig> PRESETS = Map.of(
            "dinov2", new ModelConfig("dinov2", null, "tokens", "cls", 1, 256, 224, "bicubic", IMAGENET_MEAN, IMAGENET_STD),
            "mae", new ModelConfig("mae", null, "tokens", "cls", 1, 256, 224, "bicubic", IMAGENET_MEAN, IMAGENET_STD),
            "swav", new ModelConfig("swav", null, "features", "none", 0, 256, 224, "bilinear", IMAGENET_MEAN, SWAV_STD),
            "mobilenet-v2", new ModelConfig("mobilenet-v2", null, "features", "none", 0, 224, 224, "bilinear", new double[]{0, 0, 0},
                    new double[]{1, 1, 1}),
            "u2netp-encoder", new ModelConfig("u2netp-encoder", null, "features", "none", 0, 320, 320, "bilinear", IMAGENET_MEAN, IMAGENET_STD));

    /** The built-in preset names, sorted, for messages. */
    static String presetNames() {
        return String.join(", ", new java.util.TreeSet<>(PRESETS.keySet()));
    }

    public Pooling poolingMode() {
        return Pooling.parse(pooling);
    }

    public Resampler.Filter filter() {
        return switch (interpolation) {
            case "bicubic" -> Resampler.Filter.BICUBIC;
            case "bilinear" -> Resampler.Filter.BILINEAR;
            default -> throw new IllegalArgumentException("interpolation '" + interpolation + "' (expected bicubic or bilinear)");
        };
    }

    /** Checks every field; throws IllegalArgumentException naming the field. */
    ModelConfig validated() {
        String where = "model config: ";
        if (output == null || output.isBlank()) throw new IllegalArgumentException(where + "no output name ('output')");
        if (resize < 1 || crop < 1) throw new IllegalArgumentException(where + "resize and crop must be >= 1");
        // an input side beyond this is no vision model's, and 3·crop² floats per image must stay addressable
        if (resize > MAX_SIDE || crop > MAX_SIDE) throw new IllegalArgumentException(where + "resize and crop must be <= " + MAX_SIDE);
        if (crop > resize) throw new IllegalArgumentException(where + "crop " + crop + " is larger than resize " + resize);
        if (mean == null || mean.length != 3 || std == null || std.length != 3) {
            throw new IllegalArgumentException(where + "mean and std need 3 values (R, G, B)");
        }
        for (double s : std) if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException(where + "std values must be > 0");
        for (double m : mean) if (!Double.isFinite(m)) throw new IllegalArgumentException(where + "mean values must be finite");
        if (skipTokens < 0) throw new IllegalArgumentException(where + "skipTokens must be >= 0");
        poolingMode();
        filter();
        return this;
    }

    /** A stable text of every field (the cache key includes it). */
    public String canonical() {
        try {
            return JSON.writeValueAsString(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The configuration for {@code --preset} and/or {@code --config}: a built-in preset, or a JSON
     * object whose fields override the preset named by {@code --preset} (or by its own {@code "base"}
     * field); without a built-in base every field but {@code input} is required. The name is the preset
     * name, else the config's {@code "name"}, else the config file's name.
     */
    public static ModelConfig resolve(String preset, Path configFile) {
        if (configFile == null) {
            if (preset == null) throw new IllegalArgumentException("give --preset (" + presetNames() + ") or --config model.json");
            ModelConfig c = PRESETS.get(preset);
            if (c == null) {
                throw new IllegalArgumentException("unknown preset '" + preset + "' (built-in: " + presetNames() + "; "
                        + "other names need --config model.json)");
            }
            return c;
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new InputException(configFile, "cannot read model config: " + InputException.firstLine(e.getMessage()), e);
        }
        if (!(tree instanceof ObjectNode obj)) throw new InputException(configFile, "model config must be a JSON object");
        for (var it = obj.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) throw new InputException(configFile, "unknown model config field '" + f + "' (known: " + FIELDS + ")");
        }
        boolean explicitBase = obj.has("base");
        String base = explicitBase ? obj.remove("base").asText() : preset;
        ModelConfig start = base != null ? PRESETS.get(base) : null;
        if (explicitBase && start == null) {
            throw new InputException(configFile, "unknown base preset '" + base + "' (built-in: " + presetNames() + ")");
        }
        ObjectNode merged = start != null ? JSON.valueToTree(start) : JSON.createObjectNode();
        if (start == null) {
            merged.put("skipTokens", 1);
            merged.put("interpolation", "bicubic");
            merged.put("pooling", "none");
        }
        merged.setAll(obj);
        String name = preset != null ? preset : obj.has("name") ? obj.get("name").asText()
                : configFile.getFileName().toString().replaceFirst("\\.json$", "");
        merged.put("name", name);
        for (String required : new String[]{"output", "resize", "crop", "mean", "std"}) {
            if (!merged.hasNonNull(required)) throw new InputException(configFile, "model config lacks '" + required + "'");
        }
        try {
            return JSON.treeToValue(merged, ModelConfig.class).validated();
        } catch (IOException e) {
            throw new InputException(configFile, "bad model config: " + InputException.firstLine(e.getMessage()), e);
        } catch (IllegalArgumentException e) {
            throw new InputException(configFile, e.getMessage());
        }
    }

    /**
     * The canonical text of what decides the embedding: every field but the display name, so two
     * configs that resolve to the same settings ({@code --preset mae --config c.json} and
     * {@code --config c.json} with {@code "base": "mae"}) share cache entries.
     */
    public String settingsKey() {
        return new ModelConfig(null, input, output, pooling, skipTokens, resize, crop, interpolation, mean, std).canonical();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && canonical().equals(c.canonical());
    }

    @Override
    public int hashCode() {
        return canonical().hashCode();
    }

    @Override
    public String toString() {
        return canonical();
    }

    /** Copies with another pooling (e.g. MAE mean of patch tokens). */
    public ModelConfig withPooling(Pooling p) {
        return new ModelConfig(name, input, output, p.id(), skipTokens, resize, crop, interpolation,
                Arrays.copyOf(mean, 3), Arrays.copyOf(std, 3));
    }
}

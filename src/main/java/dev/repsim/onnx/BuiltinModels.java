package dev.repsim.onnx;

import dev.repsim.util.RepoRoot;

import java.util.List;

/**
 * The models a study can name with {@code builtin:} and {@code make-model} can write: the two small
 * random-weight models the project builds ({@code tiny-cnn}, {@code tiny-vit}) and {@code u2netp-encoder},
 * the trained U²-Net-p shipped in {@code models/u2netp/} cut after its deepest encoder stage.
 */
public final class BuiltinModels {
    public static final List<String> NAMES = List.of("tiny-cnn", "tiny-vit", "u2netp-encoder");
    /** Where the checkout keeps the U²-Net-p the encoder is cut from. */
    public static final String U2NETP = "models/u2netp/u2netp.onnx";

    private BuiltinModels() {}

    /** The model's ONNX bytes; {@code seed} draws the weights of the random models and is ignored for trained ones. */
    public static byte[] onnx(String name, long seed) {
        return switch (name) {
            case "u2netp-encoder" -> U2netpEncoder.fromFile(RepoRoot.find().resolve(U2NETP));
            default -> TinyModel.create(name, seed).toOnnx();
        };
    }

    /** The preset the model is made for: tiny-cnn pools like SwAV, tiny-vit has a CLS token like DINOv2. */
    public static String preset(String name) {
        return switch (name) {
            case "tiny-cnn" -> "swav";
            case "tiny-vit" -> "dinov2";
            case "u2netp-encoder" -> "u2netp-encoder";
            default -> throw new IllegalArgumentException("unknown model '" + name + "' (expected one of " + NAMES + ")");
        };
    }

    /** Whether the model's weights are random (drawn from the seed) rather than trained. */
    public static boolean random(String name) {
        return name.startsWith("tiny-");
    }
}

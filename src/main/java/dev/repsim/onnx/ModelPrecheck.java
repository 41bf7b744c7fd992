package dev.repsim.onnx;

import ai.onnx.proto.OnnxMl;
import dev.repsim.io.InputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads an ONNX file's protobuf in Java before ONNX Runtime's native code sees it. ONNX Runtime 1.22
 * trusts declared shapes: an image input of the wrong rank feeding a Conv trips an assertion in its
 * shape inference that aborts the whole process (found by fuzzing). A file that is no ONNX protobuf,
 * or whose image input is not a rank-4 tensor, is refused here with an error naming it.
 */
public final class ModelPrecheck {
    private ModelPrecheck() {}

    /**
     * Checks {@code file} parses as an ONNX model with a graph whose image input (the graph input
     * {@code name}, or with null the only graph input that is not an initializer) is a rank-4 tensor.
     * A missing or ambiguous input is left to the caller's own checks, which name the choices.
     */
    public static void imageInput(Path file, String name) {
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(file)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        } catch (NoSuchFileException e) {
            throw new InputException(file, "no such model file");
        } catch (IOException | RuntimeException e) {
            throw new InputException(file, "not a valid ONNX model: " + InputException.firstLine(e.getMessage()), e);
        }
        if (!model.hasGraph()) throw new InputException(file, "not a valid ONNX model: no graph");
        OnnxMl.GraphProto g = model.getGraph();
        Set<String> initializers = new HashSet<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) initializers.add(t.getName());
        List<OnnxMl.ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !initializers.contains(v.getName())).toList();
        List<OnnxMl.ValueInfoProto> image = name != null ? inputs.stream().filter(v -> v.getName().equals(name)).toList() : inputs;
        if (image.size() != 1) return;
        OnnxMl.ValueInfoProto v = image.getFirst();
        if (!v.getType().hasTensorType() || !v.getType().getTensorType().hasShape()
                || v.getType().getTensorType().getShape().getDimCount() != 4) {
            throw new InputException(file, "input '" + v.getName() + "' is not a 4-D image tensor [B,3,H,W]");
        }
    }
}

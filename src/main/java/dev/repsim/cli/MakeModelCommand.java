package dev.repsim.cli;

import dev.repsim.io.AtomicFiles;
import dev.repsim.onnx.BuiltinModels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code repsim make-model tiny-cnn|tiny-vit|u2netp-encoder --out FILE}: writes a built-in ONNX model. */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        description = "Writes a built-in ONNX model: tiny-cnn (output 'features' [B,32], runs with --preset swav) "
                + "or tiny-vit (output 'tokens' [B,197,32], runs with --preset dinov2 or mae), both with random weights and input "
                + "'pixels' [B,3,224,224]; or u2netp-encoder, the trained U2-Net-p of models/u2netp cut after its deepest encoder stage "
                + "(output 'features' [B,64], input [B,3,320,320], runs with --preset u2netp-encoder).")
public final class MakeModelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "tiny-cnn|tiny-vit|u2netp-encoder", description = "Which model.")
    String model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .onnx file.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random weights of tiny-cnn and tiny-vit (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        BuiltinModels.preset(model); // refuses an unknown name before any work
        byte[] bytes = BuiltinModels.onnx(model, seed);
        AtomicFiles.write(out, o -> o.write(bytes));
        System.err.println("make-model: wrote " + model + " (" + bytes.length + " bytes" + (BuiltinModels.random(model) ? ", seed " + seed : "")
                + ") to " + out);
        return 0;
    }
}

package dev.repsim.cli;

import dev.repsim.io.AtomicFiles;
import dev.repsim.onnx.TinyModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code repsim make-model tiny-cnn|tiny-vit --out FILE}: writes a small deterministic ONNX model for smoke tests. */
@Command(name = "make-model", mixinStandardHelpOptions = true,
        description = "Writes a small deterministic ONNX test model: tiny-cnn (output 'features' [B,32], runs with --preset swav) "
                + "or tiny-vit (output 'tokens' [B,197,32], runs with --preset dinov2 or mae). Input 'pixels' [B,3,224,224].")
public final class MakeModelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "tiny-cnn|tiny-vit", description = "Which model.")
    String model;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .onnx file.")
    Path out;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        TinyModel m = TinyModel.create(model, seed);
        byte[] bytes = m.toOnnx();
        AtomicFiles.write(out, o -> o.write(bytes));
        System.err.println("make-model: wrote " + m.name() + " (" + bytes.length + " bytes, seed " + seed + ") to " + out);
        return 0;
    }
}

package dev.repsim.cli;

import dev.repsim.io.AtomicFiles;
import dev.repsim.onnx.TfjsModel;
import dev.repsim.onnx.TfjsToOnnx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code repsim import-tfjs DIR --out FILE.onnx}: a TensorFlow.js layers model converted to ONNX. */
@Command(name = "import-tfjs", mixinStandardHelpOptions = true,
        description = "Converts a TensorFlow.js layers model (DIR/model.json and its weight shards; quantised weights are dequantised) "
                + "to ONNX: input 'pixels' [B,C,H,W] (NCHW, the values the TensorFlow.js model takes), output 'probs' when the model "
                + "ends in a softmax (else 'output'), and 'features' [B,D] from the last Flatten or global pooling layer. "
                + "Layers outside the supported set are refused by name.")
public final class ImportTfjsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Folder holding model.json (or the model.json itself).")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "FILE.onnx", description = "Output ONNX file (written atomically).")
    Path out;

    @Override
    public Integer call() {
        TfjsToOnnx.Converted c = TfjsToOnnx.convert(TfjsModel.read(dir));
        AtomicFiles.write(out, o -> o.write(c.onnx()));
        System.err.println("import-tfjs: wrote " + out + " (" + c.onnx().length + " bytes): " + c.signature());
        return 0;
    }
}

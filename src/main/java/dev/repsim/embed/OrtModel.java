package dev.repsim.embed;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.repsim.io.InputException;
import dev.repsim.onnx.ModelPrecheck;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX Runtime session for an embedding model, checked against its {@link ModelConfig} when opened:
 * the input must be float [B, 3, crop, crop] (symbolic dimensions accepted), the configured output must
 * exist with the rank its pooling needs. {@link #run} feeds a batch and returns pooled [n, D] rows,
 * failing on NaN/Inf.
 */
public final class OrtModel implements AutoCloseable {
    /** Where inference runs. */
    public enum Provider { CPU, CUDA }

    private final Path file;
    private final ModelConfig config;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final long fixedBatch;
    private final Pooling pooling;
    private long outputWidth = -1;

    public OrtModel(Path file, ModelConfig config, int threads, Provider provider) {
        if (!Files.isRegularFile(file)) throw new InputException(file, "no such model file");
        this.file = file;
        this.config = config;
        this.pooling = config.poolingMode();
        ModelPrecheck.imageInput(file, config.input());
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (provider == Provider.CUDA) {
                try {
                    o.addCUDA(0);
                } catch (OrtException | UnsatisfiedLinkError | IllegalArgumentException e) {
                    throw new IllegalArgumentException("--provider cuda: the CUDA execution provider is not available ("
                            + e.getMessage() + "); build with `mvn -Pcuda package` (onnxruntime_gpu) and install the CUDA 12 "
                            + "and cuDNN 9 libraries, or use --provider cpu", e);
                }
            }
            session = env.createSession(file.toString(), o);
        } catch (OrtException e) {
            throw new InputException(file, "not a valid ONNX model: " + InputException.firstLine(e.getMessage()), e);
        }
        try {
            this.input = pickInput();
            this.fixedBatch = checkInput();
            checkOutput();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private String pickInput() {
        if (config.input() != null) {
                if (!session.getInputNames().contains(config.input())) {
                    throw new InputException(file, "no input named '" + config.input() + "' (inputs: " + session.getInputNames() + ")");
                }
                return config.input();
            }
            if (session.getNumInputs() != 1) {
                throw new InputException(file, "has inputs " + session.getInputNames() + "; name the image input with \"input\" in --config");
            }
            return session.getInputNames().iterator().next();
    }

    /** Returns the fixed batch size of the input, or −1 when it is symbolic. */
    private long checkInput() {
        try {
            NodeInfo info = session.getInputInfo().get(input);
            long c = config.crop();
            if (!(info.getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT || t.getShape().length != 4
                    || !fits(t.getShape()[1], 3) || !fits(t.getShape()[2], c) || !fits(t.getShape()[3], c)) {
                throw new InputException(file, "input '" + input + "' is " + describe(info) + " but preset '" + config.name()
                        + "' feeds float [B,3," + c + "," + c + "]");
            }
            return t.getShape()[0];
        } catch (OrtException e) {
            throw new InputException(file, "cannot inspect the model: " + InputException.firstLine(e.getMessage()), e);
        }
    }

    private void checkOutput() {
        try {
            Map<String, NodeInfo> outs = session.getOutputInfo();
            NodeInfo info = outs.get(config.output());
            if (info == null) {
                throw new InputException(file, "no output named '" + config.output() + "' (outputs: " + outs.keySet()
                        + "); set \"output\" in --config");
            }
            if (info.getInfo() instanceof TensorInfo t && t.getShape().length == pooling.rank()) outputWidth = t.getShape()[pooling.rank() - 1];
            if (info.getInfo() instanceof TensorInfo t && t.getShape().length != pooling.rank()) {
                throw new InputException(file, "output '" + config.output() + "' is " + describe(info) + " but pooling '"
                        + pooling.id() + "' needs rank " + pooling.rank() + (pooling == Pooling.NONE
                        ? " [B,D]; use \"pooling\": \"cls\" or \"mean\" for token outputs" : " [B,T,D]"));
            }
        } catch (OrtException e) {
            throw new InputException(file, "cannot inspect the model: " + InputException.firstLine(e.getMessage()), e);
        }
    }

    private static boolean fits(long dim, long want) {
        return dim < 0 || dim == want;
    }

    private static String describe(NodeInfo info) {
        if (info.getInfo() instanceof TensorInfo t) {
            return t.type.toString().toLowerCase(java.util.Locale.ROOT) + " " + Arrays.toString(t.getShape()).replace(" ", "");
        }
        return info.getInfo().toString();
    }

    /** Width D of the pooled embeddings from the output's shape metadata, or −1 when the model leaves it symbolic. */
    public long outputWidth() {
        return outputWidth;
    }

    /** The batch size the model requires, or −1 when any size works. */
    public long fixedBatch() {
        return fixedBatch;
    }

    public Path file() {
        return file;
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * Runs {@code n} images held in {@code batch} (NCHW, direct buffer with room for {@code rows} images;
     * rows past n are padding for a fixed-batch model) and returns the pooled [n, D] embeddings.
     * {@code names} identify the rows in error messages.
     */
    public float[][] run(FloatBuffer batch, int rows, int n, String[] names) {
        int c = config.crop();
        long[] shape = {rows, 3, c, c};
        batch.rewind();
        try (OnnxTensor t = OnnxTensor.createTensor(env, batch, shape);
             OrtSession.Result r = session.run(Map.of(input, t), Set.of(config.output()))) {
            OnnxTensor out = (OnnxTensor) r.get(config.output()).orElseThrow();
            long[] os = out.getInfo().getShape();
            if (os.length != pooling.rank() || os[0] != rows) {
                throw new InputException(file, "output '" + config.output() + "' has shape " + Arrays.toString(os)
                        + " for a batch of " + rows + "; pooling '" + pooling.id() + "' needs rank " + pooling.rank());
            }
            int tokens = os.length == 3 ? Math.toIntExact(os[1]) : 1;
            int dim = Math.toIntExact(os[os.length - 1]);
            if (pooling == Pooling.MEAN && tokens <= config.skipTokens()) {
                throw new InputException(file, "output has " + tokens + " tokens, none left after skipTokens " + config.skipTokens());
            }
            FloatBuffer fb = out.getFloatBuffer();
            float[] all = new float[n * tokens * dim];
            fb.get(all);
            float[] pooled = pooling.pool(all, n, tokens, dim, config.skipTokens());
            float[][] rowsOut = new float[n][];
            for (int i = 0; i < n; i++) {
                rowsOut[i] = Arrays.copyOfRange(pooled, i * dim, (i + 1) * dim);
                for (float v : rowsOut[i]) {
                    if (!Float.isFinite(v)) {
                        throw new InputException(file, "output '" + config.output() + "' has NaN or Inf for image " + names[i]);
                    }
                }
            }
            return rowsOut;
        } catch (OrtException e) {
            throw new InputException(file, "inference failed: " + InputException.firstLine(e.getMessage()), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing " + file + ": " + e.getMessage(), e);
        }
    }
}

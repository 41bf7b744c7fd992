package dev.repsim.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code u2netp-encoder} against the full U²-Net-p: the full model, with the tensor the encoder pools
 * added as a graph output, gives a [1, 64, 10, 10] map at 320×320 (1/32 of the input: the deepest of the six
 * stages) whose per-channel means (float64, here) are the encoder's features; and a batch of two gives the
 * same rows as two batches of one (the batch dimension really is free).
 */
class U2netpEncoderTest {
    private static final Path U2NETP = Path.of(BuiltinModels.U2NETP);
    private static final int SIZE = 320;

    @Test
    void poolsTheDeepestEncoderStageOfTheFullModel() throws Exception {
        byte[] encoder = BuiltinModels.onnx("u2netp-encoder", 0);
        OnnxMl.GraphProto eg = OnnxMl.ModelProto.parseFrom(encoder).getGraph();
        assertEquals(1, eg.getOutputCount());
        assertEquals(U2netpEncoder.OUTPUT, eg.getOutput(0).getName());
        String stage = eg.getNode(eg.getNodeCount() - 2).getInput(0);
        assertTrue(eg.getNodeCount() < OnnxMl.ModelProto.parseFrom(Files.readAllBytes(U2NETP)).getGraph().getNodeCount() / 2,
                "the decoder was not cut away");

        OnnxMl.ModelProto full = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(U2NETP));
        OnnxMl.ModelProto probe = full.toBuilder().setGraph(full.getGraph().toBuilder()
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(stage))).build();
        float[] x = random(1, 3);
        float[] map = run(probe.toByteArray(), x, 1, stage, new long[]{1, 64, 10, 10});
        float[] feat = run(encoder, x, 1, U2netpEncoder.OUTPUT, new long[]{1, 64});
        for (int c = 0; c < 64; c++) {
            double s = 0;
            for (int p = 0; p < 100; p++) s += map[c * 100 + p];
            assertEquals(s / 100, feat[c], 1e-5 * Math.max(1, Math.abs(s / 100)), "channel " + c);
        }
    }

    @Test
    void batchDimensionIsFree() throws Exception {
        byte[] encoder = BuiltinModels.onnx("u2netp-encoder", 0);
        float[] two = random(2, 4);
        float[] both = run(encoder, two, 2, U2netpEncoder.OUTPUT, new long[]{2, 64});
        for (int b = 0; b < 2; b++) {
            float[] one = run(encoder, java.util.Arrays.copyOfRange(two, b * 3 * SIZE * SIZE, (b + 1) * 3 * SIZE * SIZE), 1,
                    U2netpEncoder.OUTPUT, new long[]{1, 64});
            for (int c = 0; c < 64; c++) assertEquals(one[c], both[b * 64 + c], 1e-5 * Math.max(1, Math.abs(one[c])), "image " + b + " channel " + c);
        }
    }

    @Test
    void aModelThatIsNotU2NetIsRefused() {
        byte[] cnn = new TinyCnn(0).toOnnx();
        var e = assertThrows(dev.repsim.io.InputException.class, () -> U2netpEncoder.edit(OnnxMl.ModelProto.parseFrom(cnn), Path.of("cnn.onnx")));
        assertTrue(e.getMessage().startsWith("cnn.onnx: does not look like U²-Net: 0 max-pools between encoder stages"), e.getMessage());
    }

    private static float[] random(int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[batch * 3 * SIZE * SIZE];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static float[] run(byte[] model, float[] x, int batch, String output, long[] shape) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(1);
            try (OrtSession s = env.createSession(model, o);
                 OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[]{batch, 3, SIZE, SIZE});
                 OrtSession.Result r = s.run(Map.of(s.getInputNames().iterator().next(), t), java.util.Set.of(output))) {
                OnnxTensor out = (OnnxTensor) r.get(output).orElseThrow();
                assertArrayEquals(shape, out.getInfo().getShape());
                FloatBuffer fb = out.getFloatBuffer();
                float[] f = new float[fb.remaining()];
                fb.get(f);
                return f;
            }
        }
    }
}

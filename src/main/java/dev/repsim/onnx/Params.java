package dev.repsim.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Named float32 weight tensors of a test model, drawn from a seeded generator so that a seed always
 * gives the same model. Kernels get N(0, 1/fan_in) (variance-preserving, He/LeCun style); biases and
 * layer-norm shifts small N(0, 0.1²); layer-norm scales 1 + N(0, 0.1²).
 */
public final class Params {
    /** One tensor: its ONNX dimensions and row-major values. */
    public record Tensor(long[] dims, float[] values) {}

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final SplittableRandom random;

    Params(long seed) {
        this.random = new SplittableRandom(seed);
    }

    float[] kernel(String name, int fanIn, long... dims) {
        return put(name, dims, 1.0 / Math.sqrt(fanIn), 0.0);
    }

    float[] small(String name, long... dims) {
        return put(name, dims, 0.1, 0.0);
    }

    float[] scale(String name, long... dims) {
        return put(name, dims, 0.1, 1.0);
    }

    private float[] put(String name, long[] dims, double std, double mean) {
        long n = 1;
        for (long d : dims) n *= d;
        float[] v = new float[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (mean + std * random.nextGaussian());
        tensors.put(name, new Tensor(dims.clone(), v));
        return v;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public float[] get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException("no parameter " + name);
        return t.values();
    }

    /** Adds every tensor as an initializer of the graph. */
    void addTo(OnnxGraph graph) {
        tensors.forEach((name, t) -> graph.initializer(name, t.dims(), t.values()));
    }
}

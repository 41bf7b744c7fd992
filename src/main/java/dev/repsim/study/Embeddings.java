package dev.repsim.study;

import dev.repsim.linalg.Matrix;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every (model, variant) embedding matrix of a study, rows in the study's image order, in the study's
 * precision. Checks on entry what the metrics need: every matrix has the study's n rows, and one model's
 * variants share their width.
 */
public final class Embeddings {
    private final int n;
    private final Map<String, Map<String, Matrix>> byModel = new LinkedHashMap<>();

    public Embeddings(int n) {
        this.n = n;
    }

    public void put(String model, String variant, Matrix m) {
        if (m.rows() != n) {
            throw new IllegalArgumentException("model '" + model + "', variant '" + variant + "': " + m.rows()
                    + " embedding rows but the study has " + n + " images");
        }
        Map<String, Matrix> vs = byModel.computeIfAbsent(model, k -> new LinkedHashMap<>());
        for (Map.Entry<String, Matrix> e : vs.entrySet()) {
            if (e.getValue().cols() != m.cols()) {
                throw new IllegalArgumentException("model '" + model + "': variant '" + variant + "' has " + m.cols()
                        + " features but '" + e.getKey() + "' has " + e.getValue().cols());
            }
        }
        long bad = m.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException("model '" + model + "', variant '" + variant + "': non-finite embedding value at row "
                    + bad / m.cols() + ", column " + bad % m.cols());
        }
        vs.put(variant, m);
    }

    public Matrix get(String model, String variant) {
        Map<String, Matrix> vs = byModel.get(model);
        Matrix m = vs == null ? null : vs.get(variant);
        if (m == null) throw new IllegalStateException("no embeddings for model '" + model + "', variant '" + variant + "'");
        return m;
    }

    public int n() { return n; }

    public int width(String model) {
        return byModel.get(model).values().iterator().next().cols();
    }

    /** The model's variants stacked in the given order: rows v·n … v·n + n − 1 are variant v. */
    public Matrix pooled(String model, List<String> variants) {
        Matrix first = get(model, variants.get(0));
        int d = first.cols(), rows = n * variants.size();
        if (first.precision() == dev.repsim.linalg.Precision.F64) {
            double[] out = new double[rows * d];
            for (int v = 0; v < variants.size(); v++) System.arraycopy(get(model, variants.get(v)).f64(), 0, out, v * n * d, n * d);
            return Matrix.of(rows, d, out);
        }
        float[] out = new float[rows * d];
        for (int v = 0; v < variants.size(); v++) System.arraycopy(get(model, variants.get(v)).f32(), 0, out, v * n * d, n * d);
        return Matrix.of(rows, d, out);
    }
}

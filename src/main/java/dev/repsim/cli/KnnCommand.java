package dev.repsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.backend.Backend;
import dev.repsim.backend.Backends;
import dev.repsim.io.InputException;
import dev.repsim.io.Labels;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import dev.repsim.metrics.KnnShare;
import dev.repsim.metrics.Similarity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code repsim knn Z.npy --labels L}: share of each row's k nearest neighbours with the same label. */
@Command(name = "knn", mixinStandardHelpOptions = true,
        description = "Neighbour analysis: for every row, the share of its k nearest other rows with the same label.")
public final class KnnCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "Z.npy", description = "Pooled embeddings, n x d.")
    Path z;

    @Option(names = "--labels", required = true, paramLabel = "L",
            description = "Labels: a text file (one per line), a CSV with a header (see --label-column), or an integer .npy vector.")
    Path labels;

    @Option(names = "--label-column", defaultValue = "label", description = "Column of a CSV labels file (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--k", defaultValue = "10", description = "Neighbours per row (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--metric", defaultValue = "euclidean", description = "euclidean or cosine (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--backend", defaultValue = "auto", description = "auto, java, blas or opencl.")
    String backend;

    @Option(names = "--device", description = "OpenCL device name or index.")
    String device;

    @Option(names = "--precision", defaultValue = "f64", description = "f64 or f32.")
    String precision;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        KnnShare.Distance distance;
        Precision p;
        try {
            distance = KnnShare.Distance.parse(metric);
            p = Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        Matrix m = Similarity.read(z, p);
        String[] l = Labels.read(labels, labelColumn);
        if (l.length != m.rows()) throw new InputException(labels, "has " + l.length + " labels but " + z + " has " + m.rows() + " rows");
        if (m.rows() < 2) throw new InputException(z, "needs at least 2 rows, got " + m.rows());
        KnnShare.Result r;
        String backendName;
        try (Backend b = Backends.open(backend, device)) {
            backendName = b.name();
            try {
                r = KnnShare.compute(m, l, k, distance, b);
            } catch (IllegalArgumentException e) { // rows the analysis cannot rank (all equal, a zero row for cosine)
                throw new InputException(z, e.getMessage());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", m.rows());
        out.put("d", m.cols());
        out.put("k", k);
        out.put("metric", distance.name().toLowerCase(Locale.ROOT));
        out.put("backend", backendName);
        out.put("mean", r.mean());
        out.put("per_label", r.perLabel());
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.printf(Locale.ROOT, "same-label share of the %d nearest neighbours (%s), n=%d: %.4f%n", k, out.get("metric"), m.rows(), r.mean());
            r.perLabel().forEach((label, v) -> System.out.printf(Locale.ROOT, "  %-20s %.4f%n", label, v));
        }
        return 0;
    }
}

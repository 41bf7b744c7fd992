package dev.repsim.embed;

import dev.repsim.io.AtomicFiles;
import dev.repsim.io.Csv;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of an embedding run: the float32 [N, D] matrix, one index row per matrix row (same order),
 * the inputs skipped as bad, and how many rows were computed versus taken from the cache.
 */
public record Embeddings(Matrix matrix, List<IndexRow> index, List<Skipped> skipped, int computed, int cached) {
    public static final List<String> INDEX_COLUMNS = List.of("row", "image", "label", "variant");

    /** One row of {@code OUT.index.csv}. */
    public record IndexRow(int row, String image, String label, String variant) {}

    /** A bad input left out (with {@code --skip-bad}). */
    public record Skipped(Path file, String problem) {}

    /** {@code OUT.index.csv} next to {@code OUT.npy} (the {@code .npy} extension replaced). */
    public static Path indexPath(Path out) {
        return sibling(out, ".index.csv");
    }

    /** {@code OUT.skipped.csv}: bad inputs of a {@code --skip-bad} run. */
    public static Path skippedPath(Path out) {
        return sibling(out, ".skipped.csv");
    }

    private static Path sibling(Path out, String suffix) {
        String name = out.getFileName().toString();
        String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        return out.resolveSibling(stem + suffix);
    }

    /**
     * Writes the index and the matrix as a pair ({@link AtomicFiles#writeAll}: both written in full before
     * either replaces its target, the matrix moved in last), so a failure never pairs a new matrix with an
     * old index or the reverse; a killed run's temporary files are removed.
     */
    public void write(Path out) {
        AtomicFiles.removeStaleSiblings(out);
        AtomicFiles.removeStaleSiblings(indexPath(out));
        List<List<?>> rows = new ArrayList<>();
        for (IndexRow r : index) rows.add(List.of(r.row(), r.image(), r.label(), r.variant()));
        AtomicFiles.writeAll(List.of(new AtomicFiles.Part(indexPath(out), AtomicFiles.text(Csv.format(INDEX_COLUMNS, rows))),
                new AtomicFiles.Part(out, Npy.body(matrix))));
    }

    /** Writes the list of skipped inputs (file, problem). */
    public void writeSkipped(Path out) {
        List<List<?>> rows = new ArrayList<>();
        AtomicFiles.removeStaleSiblings(skippedPath(out));
        for (Skipped s : skipped) rows.add(List.of(s.file().toString(), s.problem()));
        Csv.write(skippedPath(out), List.of("file", "problem"), rows);
    }
}

package dev.repsim.spark;

import dev.repsim.io.InputException;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rows of one representation stored as .npy: a single file, or a folder of shards taken in file-name
 * order as one matrix. Executors read only the rows of their partition; every path must be readable at
 * the same place on every executor (one machine, or a shared file system).
 */
final class NpyRows implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One file and the global index of its first row. */
    record Shard(String path, long start, long rows) implements Serializable {}

    private final String name;
    private final List<Shard> shards;
    private final int cols;
    private final long rows;

    private NpyRows(String name, List<Shard> shards, int cols, long rows) {
        this.name = name;
        this.shards = shards;
        this.cols = cols;
        this.rows = rows;
    }

    /** Whether {@code path} is an .npy file or a folder holding .npy shards (anything else: a Parquet table). */
    static boolean isNpy(Path path) {
        if (!Files.isDirectory(path)) return !isParquetName(path);
        return !npyFiles(path).isEmpty();
    }

    private static boolean isParquetName(Path path) {
        return path.getFileName() != null && path.getFileName().toString().endsWith(".parquet");
    }

    private static List<Path> npyFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".npy") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir, "cannot list: " + e.getMessage());
        }
    }

    /** Reads and checks every header (on the driver, before any job). */
    static NpyRows open(Path path) {
        List<Path> files = Files.isDirectory(path) ? npyFiles(path) : List.of(path);
        List<Shard> shards = new ArrayList<>();
        long start = 0;
        int cols = -1;
        for (Path f : files) {
            Npy.Header h = Npy.header(f);
            Npy.requireFloat2d(h);
            if (cols >= 0 && h.cols() != cols) {
                throw new InputException(f, "has " + h.cols() + " columns but " + files.getFirst() + " has " + cols + " (the shards of one matrix)");
            }
            cols = (int) h.cols();
            shards.add(new Shard(f.toString(), start, h.rows()));
            start += h.rows();
        }
        return new NpyRows(path.toString(), List.copyOf(shards), cols, start);
    }

    String name() { return name; }

    long rows() { return rows; }

    int cols() { return cols; }

    /** The end of the shard that holds row {@code at}: a block read by {@link #read} must not cross it. */
    long shardEnd(long at) {
        return shardOf(at).start() + shardOf(at).rows();
    }

    /** Rows {@code [from, to)}, within one shard, in their stored precision (NaN and Inf are rejected by the reader). */
    Matrix read(long from, long to) {
        Shard s = shardOf(from);
        if (to > s.start() + s.rows()) throw new IllegalArgumentException("rows [" + from + ", " + to + ") cross the end of " + s.path());
        try (Npy.RowBlocks blocks = Npy.rowBlocks(Path.of(s.path()), Math.toIntExact(to - from), from - s.start(), to - s.start())) {
            return blocks.next();
        }
    }

    /** Rows {@code [from, to)}, across shards if need be, in precision {@code p}. */
    Matrix range(long from, long to, dev.repsim.linalg.Precision p) {
        int m = Math.toIntExact(to - from);
        boolean f64 = p == dev.repsim.linalg.Precision.F64;
        double[] d = f64 ? new double[m * cols] : null;
        float[] f = f64 ? null : new float[m * cols];
        for (long at = from; at < to; ) {
            long end = Math.min(to, shardEnd(at));
            Matrix piece = read(at, end).to(p);
            int offset = Math.toIntExact((at - from) * cols), len = Math.toIntExact((end - at) * cols);
            if (f64) System.arraycopy(piece.f64(), 0, d, offset, len);
            else System.arraycopy(piece.f32(), 0, f, offset, len);
            at = end;
        }
        return f64 ? Matrix.of(m, cols, d) : Matrix.of(m, cols, f);
    }

    private Shard shardOf(long row) {
        for (Shard s : shards) if (row >= s.start() && row < s.start() + s.rows()) return s;
        throw new IllegalArgumentException("row " + row + " is outside " + name + " (" + rows + " rows)");
    }
}

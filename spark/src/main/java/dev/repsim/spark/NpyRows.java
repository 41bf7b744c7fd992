package dev.repsim.spark;

import dev.repsim.io.InputException;
import dev.repsim.io.PathOrUri;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The rows of one representation stored as .npy: a single file, or a folder of shards taken in file-name
 * order as one matrix, given as a local path (readable at the same place on every executor: one machine or
 * a shared file system) or as a Hadoop FileSystem URI ({@link HadoopFiles}). Executors read only the rows
 * of their partition (a seek, then a read of those rows).
 */
final class NpyRows implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** One file and the global index of its first row. */
    record Shard(String path, long start, long rows) implements Serializable {}

    private final String name;
    private final HadoopFiles files;
    private final List<Shard> shards;
    private final int cols;
    private final long rows;

    private NpyRows(String name, HadoopFiles files, List<Shard> shards, int cols, long rows) {
        this.name = name;
        this.files = files;
        this.shards = shards;
        this.cols = cols;
        this.rows = rows;
    }

    /**
     * Whether {@code path} (a local path or a URI) is an .npy file or a folder holding .npy shards (anything
     * else: a Parquet table); an error naming it if there is nothing there.
     */
    static boolean isNpy(String path, HadoopFiles files) {
        if (PathOrUri.isUri(path)) {
            org.apache.hadoop.fs.FileStatus f = files.status(path);
            return f.isDirectory() ? !files.list(path, ".npy").isEmpty() : !f.getPath().getName().endsWith(".parquet");
        }
        Path p = Path.of(path);
        if (!Files.exists(p)) throw new InputException(p, "no such file or folder");
        if (!Files.isDirectory(p)) return p.getFileName() == null || !p.getFileName().toString().endsWith(".parquet");
        return !npyFiles(p).isEmpty();
    }

    private static List<Path> npyFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".npy") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir, "cannot list: " + e.getMessage());
        }
    }

    /** Reads and checks every header (on the driver, before any job). */
    static NpyRows open(String path, HadoopFiles hadoop) {
        List<String> files;
        if (PathOrUri.isUri(path)) {
            files = hadoop.status(path).isDirectory() ? hadoop.list(path, ".npy") : List.of(path);
        } else {
            Path p = Path.of(path);
            files = (Files.isDirectory(p) ? npyFiles(p) : List.of(p)).stream().map(Path::toString).toList();
        }
        List<Shard> shards = new ArrayList<>();
        long start = 0;
        int cols = -1;
        for (String f : files) {
            Npy.Header h = header(f, hadoop);
            Npy.requireFloat2d(h);
            if (cols >= 0 && h.cols() != cols) {
                throw new InputException(f + ": has " + h.cols() + " columns but " + files.getFirst() + " has " + cols + " (the shards of one matrix)");
            }
            cols = (int) h.cols();
            shards.add(new Shard(f, start, h.rows()));
            start += h.rows();
        }
        return new NpyRows(path, hadoop, List.copyOf(shards), cols, start);
    }

    private static Npy.Header header(String file, HadoopFiles hadoop) {
        if (!PathOrUri.isUri(file)) return Npy.header(Path.of(file));
        try (SeekableByteChannel ch = hadoop.open(file)) {
            return Npy.header(file, ch);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + InputException.firstLine(e.getMessage()), e);
        }
    }

    /** An input error unless {@code y} holds as many rows as {@code x} (checked on the driver, before any job). */
    static void requireSameRows(NpyRows x, NpyRows y) {
        if (y.rows() != x.rows()) {
            throw new InputException(y.name() + ": has " + y.rows() + " rows but " + x.name() + " has " + x.rows() + " (X and Y must hold the same samples)");
        }
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
        int n = Math.toIntExact(to - from);
        try (Npy.RowBlocks blocks = PathOrUri.isUri(s.path()) ? Npy.rowBlocks(s.path(), files.open(s.path()), n, from - s.start(), to - s.start())
                : Npy.rowBlocks(Path.of(s.path()), n, from - s.start(), to - s.start())) {
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

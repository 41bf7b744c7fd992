package dev.repsim.linalg;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * A dense, row-major matrix of float64 or float32 values. Rows are samples (images), columns are
 * features. The storage type is the computation precision: backends run float32 kernels on float32
 * matrices and float64 kernels on float64 ones, always returning float64 summaries.
 *
 * <p>Immutable by contract: whoever wraps an array must not change it afterwards. Backends cache
 * off-heap copies by identity, and the finiteness scan runs once.
 */
public final class Matrix {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Floats of half S's width: as many lanes as S, so that one widening fills one double vector. */
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

    private final int rows;
    private final int cols;
    private final double[] f64;
    private final float[] f32;
    private static final long UNSCANNED = -2;
    /** {@link #firstNonFinite}'s result once computed (a benign race: every thread computes the same value). */
    private volatile long nonFinite = UNSCANNED;
    /** {@link #maxAbs}'s result once computed (negative: not yet; the same benign race). */
    private volatile double maxAbs = -1;

    private Matrix(int rows, int cols, double[] f64, float[] f32) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException("negative shape " + rows + "x" + cols);
        long size = (long) rows * cols;
        int len = f64 != null ? f64.length : f32.length;
        if (size != len) {
            throw new IllegalArgumentException("shape " + rows + "x" + cols + " needs " + size + " values, got " + len);
        }
        this.rows = rows;
        this.cols = cols;
        this.f64 = f64;
        this.f32 = f32;
    }

    /** Wraps (does not copy) row-major float64 data. */
    public static Matrix of(int rows, int cols, double[] data) {
        return new Matrix(rows, cols, Objects.requireNonNull(data), null);
    }

    /** Wraps (does not copy) row-major float32 data. */
    public static Matrix of(int rows, int cols, float[] data) {
        return new Matrix(rows, cols, null, Objects.requireNonNull(data));
    }

    public int rows() { return rows; }

    public int cols() { return cols; }

    public Precision precision() { return f64 != null ? Precision.F64 : Precision.F32; }

    /** The float64 storage; throws if this matrix is float32. */
    public double[] f64() {
        if (f64 == null) throw new IllegalStateException("matrix is float32");
        return f64;
    }

    /** The float32 storage; throws if this matrix is float64. */
    public float[] f32() {
        if (f32 == null) throw new IllegalStateException("matrix is float64");
        return f32;
    }

    public double get(int r, int c) {
        int i = r * cols + c;
        return f64 != null ? f64[i] : f32[i];
    }

    /** This matrix in the given precision: itself when it already is, else a converted copy. */
    public Matrix to(Precision p) {
        if (p == precision()) return this;
        int n = rows * cols;
        if (p == Precision.F64) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) d[i] = f32[i];
            return of(rows, cols, d);
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) f64[i];
        return of(rows, cols, f);
    }

    /** A copy of rows [r0, r1). */
    public Matrix rows(int r0, int r1) {
        Objects.checkFromToIndex(r0, r1, rows);
        if (f64 != null) return of(r1 - r0, cols, Arrays.copyOfRange(f64, r0 * cols, r1 * cols));
        return of(r1 - r0, cols, Arrays.copyOfRange(f32, r0 * cols, r1 * cols));
    }

    /** Selected rows, in the given order, as a new matrix. */
    public Matrix selectRows(int[] index) {
        if (f64 != null) {
            double[] d = new double[index.length * cols];
            for (int i = 0; i < index.length; i++) System.arraycopy(f64, index[i] * cols, d, i * cols, cols);
            return of(index.length, cols, d);
        }
        float[] f = new float[index.length * cols];
        for (int i = 0; i < index.length; i++) System.arraycopy(f32, index[i] * cols, f, i * cols, cols);
        return of(index.length, cols, f);
    }

    /** Column means, accumulated in float64. */
    public double[] columnMeans() {
        // Fixed blocks of rows, summed side by side and then added in block order: the result does not
        // depend on the thread count, and a large matrix is read by every core (it is memory-bound).
        int blocks = Math.max(1, Math.ceilDiv(rows, MEAN_BLOCK_ROWS));
        double[][] partial = new double[blocks][];
        IntStream range = IntStream.range(0, blocks);
        ((long) rows * cols >= PARALLEL_MIN_VALUES ? range.parallel() : range).forEach(b ->
                partial[b] = columnSums(b * MEAN_BLOCK_ROWS, Math.min(rows, (b + 1) * MEAN_BLOCK_ROWS)));
        return meansOfBlockSums(partial, rows);
    }

    /**
     * Rows per block of {@link #columnMeans}: an engine that holds the rows in parts (Spark) sums blocks
     * [b·MEAN_BLOCK_ROWS, (b+1)·MEAN_BLOCK_ROWS) with {@link #columnSums} and merges them with
     * {@link #meansOfBlockSums}, and gets the same bits.
     */
    public static final int MEAN_BLOCK_ROWS = 2048;
    /** Matrices of at least this many values are scanned by several threads (below, hand-off costs more). */
    private static final long PARALLEL_MIN_VALUES = 1L << 20;

    /** The column means from the sums of consecutive row blocks, added in block order (the array of block 0 is reused). */
    public static double[] meansOfBlockSums(double[][] blockSums, long rows) {
        double[] mean = blockSums[0];
        for (int b = 1; b < blockSums.length; b++) {
            for (int c = 0; c < mean.length; c++) mean[c] += blockSums[b][c];
        }
        for (int c = 0; c < mean.length; c++) mean[c] /= rows;
        return mean;
    }

    /** Σ rows [r0, r1), per column, added row by row in order. */
    public double[] columnSums(int r0, int r1) {
        double[] sum = new double[cols];
        int bound = S.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            if (f64 != null) {
                int c = 0;
                for (; c < bound; c += S.length()) {
                    DoubleVector.fromArray(S, sum, c).add(DoubleVector.fromArray(S, f64, o + c)).intoArray(sum, c);
                }
                for (; c < cols; c++) sum[c] += f64[o + c];
            } else {
                int c = 0;
                for (; c < bound; c += S.length()) {
                    DoubleVector v = (DoubleVector) FloatVector.fromArray(HALF, f32, o + c).convertShape(VectorOperators.F2D, S, 0);
                    DoubleVector.fromArray(S, sum, c).add(v).intoArray(sum, c);
                }
                for (; c < cols; c++) sum[c] += f32[o + c];
            }
        }
        return sum;
    }

    /** A copy with the column means subtracted (X − 1μᵀ), in this matrix's precision. */
    public Matrix centered() {
        return centered(columnMeans());
    }

    /** A copy with the given column offsets subtracted (X − 1μᵀ), computed in float64, in this matrix's precision. */
    public Matrix centered(double[] mean) {
        return centeredRows(0, rows, mean);
    }

    /** Rows [r0, r1) of {@link #centered(double[])}, copied without the rest. */
    public Matrix centeredRows(int r0, int r1, double[] mean) {
        if (mean.length != cols) throw new IllegalArgumentException(mean.length + " offsets for " + this);
        Objects.checkFromToIndex(r0, r1, rows);
        int m = r1 - r0;
        if (f64 != null) {
            double[] d = new double[m * cols];
            for (int r = 0; r < m; r++) centeredRow(r0 + r, 0, cols, mean, d, r * cols);
            return of(m, cols, d);
        }
        float[] f = new float[m * cols];
        for (int r = 0; r < m; r++) centeredRow(r0 + r, 0, cols, mean, f, r * cols);
        return of(m, cols, f);
    }

    /**
     * Columns [c0, c0+len) of row r minus the offsets mean[c0 ..], into out[at ..]: the values of
     * {@link #centered(double[])} for a float64 matrix (a float32 one gives them before rounding).
     */
    public void centeredRow(int r, int c0, int len, double[] mean, double[] out, int at) {
        int o = r * cols + c0;
        if (f64 != null) {
            int c = 0;
            for (int bound = S.loopBound(len); c < bound; c += S.length()) {
                DoubleVector.fromArray(S, f64, o + c).sub(DoubleVector.fromArray(S, mean, c0 + c)).intoArray(out, at + c);
            }
            for (; c < len; c++) out[at + c] = f64[o + c] - mean[c0 + c];
        } else {
            for (int c = 0; c < len; c++) out[at + c] = f32[o + c] - mean[c0 + c];
        }
    }

    /** {@link #centeredRow(int, int, int, double[], double[], int)} of a float32 matrix, rounded to float32. */
    public void centeredRow(int r, int c0, int len, double[] mean, float[] out, int at) {
        float[] s = f32();
        int o = r * cols + c0;
        int c = 0;
        // Widened lane by lane, subtracted and rounded back: the scalar tail's operations, S.length() at once
        // (the java backend's fused centring calls this while it packs operands, see CenteredColumns).
        for (int bound = S.loopBound(len); c < bound; c += S.length()) {
            DoubleVector d = (DoubleVector) FloatVector.fromArray(HALF, s, o + c).convertShape(VectorOperators.F2D, S, 0);
            ((FloatVector) d.sub(DoubleVector.fromArray(S, mean, c0 + c)).convertShape(VectorOperators.D2F, HALF, 0))
                    .intoArray(out, at + c);
        }
        for (; c < len; c++) out[at + c] = (float) (s[o + c] - mean[c0 + c]);
    }

    /**
     * The largest magnitude of any value (0 for an empty or all-zero matrix; NaN or +Inf if the matrix
     * holds one), computed once per matrix like {@link #firstNonFinite}.
     */
    public double maxAbs() {
        double r = maxAbs;
        if (r < 0) maxAbs = r = scanMaxAbs();
        return r;
    }

    private double scanMaxAbs() {
        double m = 0;
        if (f64 != null) {
            DoubleVector acc = DoubleVector.zero(S);
            int i = 0;
            for (int bound = S.loopBound(f64.length); i < bound; i += S.length()) {
                acc = acc.max(DoubleVector.fromArray(S, f64, i).abs()); // max propagates NaN, like Math.max
            }
            m = acc.reduceLanes(VectorOperators.MAX);
            for (; i < f64.length; i++) m = Math.max(m, Math.abs(f64[i]));
        } else {
            for (float v : f32) m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /**
     * Index of the first NaN or infinite value, or -1. The scan runs once per matrix (its values do not
     * change): a file checked when read is not scanned again by every metric computed on it.
     */
    public long firstNonFinite() {
        long r = nonFinite;
        if (r == UNSCANNED) nonFinite = r = scanNonFinite();
        return r;
    }

    private long scanNonFinite() {
        if (f64 != null) {
            // v·0 is 0 for finite v and NaN for ±Inf or NaN: blocks whose sum of v·0 stays 0 need no scan.
            final int block = 4096;
            for (int from = 0; from < f64.length; from += block) {
                int to = Math.min(f64.length, from + block), i = from;
                DoubleVector acc = DoubleVector.zero(S);
                for (int bound = from + S.loopBound(to - from); i < bound; i += S.length()) {
                    acc = acc.add(DoubleVector.fromArray(S, f64, i).mul(0.0));
                }
                double s = acc.reduceLanes(VectorOperators.ADD);
                for (; i < to; i++) s += f64[i] * 0.0;
                if (s != 0.0) {
                    for (int k = from; k < to; k++) if (!Double.isFinite(f64[k])) return k;
                }
            }
        } else {
            for (int i = 0; i < f32.length; i++) if (!Float.isFinite(f32[i])) return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return "Matrix[" + rows + "x" + cols + ", " + precision() + "]";
    }
}

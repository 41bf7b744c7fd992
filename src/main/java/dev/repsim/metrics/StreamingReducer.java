package dev.repsim.metrics;

import dev.repsim.backend.Backend;
import dev.repsim.io.InputException;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;

import java.nio.file.Path;
import java.util.function.LongConsumer;

/**
 * Reduces two .npy files to {@link CrossCovariance} reading both in row blocks, so linear CKA and the
 * CCA family work on inputs larger than the heap (memory O(block·d + d²)).
 */
public final class StreamingReducer {
    private StreamingReducer() {}

    /** Rows per block so that one block of the wider file takes about 32 MiB in float64. */
    public static int blockRows(int dx, int dy) {
        return Math.max(256, (32 << 20) / (8 * Math.max(1, Math.max(dx, dy))));
    }

    /**
     * @param progress called with the number of rows done after each block (may be null)
     */
    public static CrossCovariance reduce(Path xPath, Path yPath, Precision precision, Backend backend,
                                         int blockRows, LongConsumer progress) {
        try (Npy.RowBlocks xs = Npy.rowBlocks(xPath, blockRows); Npy.RowBlocks ys = Npy.rowBlocks(yPath, blockRows)) {
            long n = xs.header().rows();
            if (ys.header().rows() != n) {
                throw new InputException(yPath, "has " + ys.header().rows() + " rows but " + xPath + " has " + n
                        + " (X and Y must hold the same samples)");
            }
            CrossCovariance c = new CrossCovariance((int) xs.header().cols(), (int) ys.header().cols());
            long done = 0;
            double xMax = 0, yMax = 0;
            Matrix xb;
            while ((xb = xs.next()) != null) {
                Matrix yb = ys.next();
                // A block's largest magnitude above 1 can only break the upper bound: refused at that block.
                if (xb.maxAbs() > 1) Similarity.checkMagnitude(xb.maxAbs(), precision, xPath.toString());
                if (yb.maxAbs() > 1) Similarity.checkMagnitude(yb.maxAbs(), precision, yPath.toString());
                // The maxima of the blocks as read (CrossCovariance keeps those of what it is given, and a float64
                // block turned float32 can underflow to zeros, which would read as "no variance").
                xMax = Math.max(xMax, xb.maxAbs());
                yMax = Math.max(yMax, yb.maxAbs());
                c.add(xb.to(precision), yb.to(precision), backend);
                done += xb.rows();
                if (progress != null) progress.accept(done);
            }
            Similarity.checkMagnitude(xMax, precision, xPath.toString());
            Similarity.checkMagnitude(yMax, precision, yPath.toString());
            return c;
        }
    }
}

package dev.repsim.backend.opencl;

import java.util.function.IntFunction;

/**
 * Sizes of streamed row blocks: rows whose buffer fits a per-buffer byte budget, and the retry with
 * halved blocks after the device runs out of memory (the final error names the sizes).
 */
final class RowBlocks {
    private final ClContext ctx;
    private long budget;

    RowBlocks(ClContext ctx, long budget) {
        this.ctx = ctx;
        this.budget = budget;
    }

    long budget() { return budget; }

    void setBudget(long bytes) { budget = bytes; }

    /**
     * Rows per streamed block whose buffer (rows × cols × bytesPerEntry) fits the block budget, at most
     * {@code limit}, rounded down to whole tiles when larger than one.
     */
    int rows(int cols, long bytesPerEntry, int limit, int tile) {
        long rows = Math.max(1, budget / Math.max(1, (long) cols * bytesPerEntry));
        rows = Math.min(rows, limit);
        if (rows > tile) rows = rows / tile * tile;
        return (int) rows;
    }

    /** Runs body with a block size, halving it after device out-of-memory until one row is left. */
    <T> T shrinking(int initial, String what, IntFunction<T> body) {
        int b = Math.max(1, initial);
        while (true) {
            try {
                return body.apply(b);
            } catch (DeviceMemoryException e) {
                try {
                    ctx.finish();
                } catch (OpenClException ignored) {
                    // the queue reported the same failure again; the blocks are retried below or the first error is thrown
                }
                if (b == 1) {
                    throw new DeviceMemoryException(what + " does not fit on " + ctx.device.name() + " ("
                            + ClDevice.bytes(ctx.device.globalMem()) + " global memory) even in blocks of one row: " + e.getMessage(), e.code());
                }
                b = Math.max(1, b / 2);
            }
        }
    }
}

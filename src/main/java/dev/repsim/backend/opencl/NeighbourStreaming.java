package dev.repsim.backend.opencl;

/**
 * k nearest neighbours streamed over row blocks: each block of squared distances to all rows is built
 * on the device (gemm_nt, distance epilogue) and reduced there to its per-row top k (topk_rows), so
 * only n·k indices and distances come back.
 */
final class NeighbourStreaming {
    private NeighbourStreaming() {}

    static Neighbours stream(ClContext ctx, DeviceOps ops, RowBlocks blocks, ClProgram p, DeviceBuffer fdata,
                             DeviceBuffer fnorms, int n, int d, int k, int wg) {
        int[] idx = new int[n * k];
        double[] dist = new double[n * k];
        int b0 = blocks.rows(n, p.elemBytes, Math.min(n, OpenClBackend.MAX_BLOCK_ROWS), p.tiles.tsm());
        return blocks.shrinking(b0, "nearest neighbours for n=" + n + ", d=" + d, rows -> {
            try (DeviceBuffer db = ctx.output((long) rows * n * p.elemBytes, "distance block " + rows + "x" + n);
                 DeviceBuffer ib = ctx.output((long) rows * k * 4, "neighbour indices");
                 DeviceBuffer vb = ctx.output((long) rows * k * p.elemBytes, "neighbour distances")) {
                for (int r0 = 0; r0 < n; r0 += rows) {
                    int br = Math.min(n, r0 + rows) - r0;
                    ops.launchGram(p, br, n, d, fdata, (long) r0 * d, fdata, 0, db, n, 1, fnorms, r0, fnorms, 0, true, r0, 0, 0.0);
                    ops.topk(p, br, n, k, r0, wg, db, ib, vb);
                    int[] bi = ctx.readInts(ib, br * k);
                    double[] bv = ctx.readReal(vb, br * k, p.elemBytes);
                    System.arraycopy(bi, 0, idx, r0 * k, br * k);
                    System.arraycopy(bv, 0, dist, r0 * k, br * k);
                }
            }
            return new Neighbours(n, k, idx, dist);
        });
    }
}

package dev.repsim.backend.opencl;

import dev.repsim.metrics.FusedKernels;
import dev.repsim.metrics.KernelStats;

/**
 * HSIC statistics of two Gram matrices K (of X) and L (of Y) streamed over row blocks of the upper
 * block triangle (both are symmetric): each block is built on the device (linear or RBF, gemm_nt),
 * reduced there to per-row partials of ⟨K,L⟩, ‖K‖², ‖L‖² and the row sums (gram_row_stats), plus the
 * column sums right of the diagonal block, which stand for the skipped mirrored rows (gram_col_sums).
 * The host adds the partials in float64. Nothing n×n is held.
 */
final class GramStreaming {
    private GramStreaming() {}

    static KernelStats stream(ClContext ctx, DeviceOps ops, RowBlocks blocks, ClProgram p,
                              DeviceBuffer bx, DeviceBuffer nx, int dx, FusedKernels.Kernel kx,
                              DeviceBuffer by, DeviceBuffer ny, int dy, FusedKernels.Kernel ky,
                              int n, double[] diagK, double[] diagL) {
int b0 = blocks.rows(n, 2L * p.elemBytes, Math.min(n, OpenClBackend.MAX_BLOCK_ROWS), p.tiles.tsm());
return blocks.shrinking(b0, "Gram statistics for n=" + n + " (dx=" + dx + ", dy=" + dy + ")", rows -> {
            double kl = 0, kk = 0, ll = 0;
            double[] rk = new double[n], rl = new double[n];
            long blockBytesNeeded = (long) rows * n * p.elemBytes;
            try (DeviceBuffer kb = ctx.output(blockBytesNeeded, "K row block " + rows + "x" + n);
                 DeviceBuffer lb = ctx.output(blockBytesNeeded, "L row block " + rows + "x" + n);
                 DeviceBuffer pp = ctx.output(3L * rows * p.accBytes, "HSIC partial sums");
                 DeviceBuffer rkb = ctx.output((long) rows * p.accBytes, "K row sums");
                 DeviceBuffer rlb = ctx.output((long) rows * p.accBytes, "L row sums");
                 DeviceBuffer ckb = ctx.output((long) n * p.accBytes, "K column sums");
                 DeviceBuffer clb = ctx.output((long) n * p.accBytes, "L column sums")) {
                for (int r0 = 0; r0 < n; r0 += rows) {
                    int r1 = Math.min(n, r0 + rows), br = r1 - r0, m = n - r0;
                    ops.launchGram(p, br, m, dx, bx, (long) r0 * dx, bx, (long) r0 * dx, kb, m, kx.rbf() ? 2 : 0,
                            nx, r0, nx, r0, true, r0, r0, kx.gamma());
                    ops.launchGram(p, br, m, dy, by, (long) r0 * dy, by, (long) r0 * dy, lb, m, ky.rbf() ? 2 : 0,
                            ny, r0, ny, r0, true, r0, r0, ky.gamma());
                    ops.gramRowStats(p, br, m, kb, lb, pp, rkb, rlb);
                    if (m > br) {
                        ops.columnSums(p, br, m, kb, ckb);
                        ops.columnSums(p, br, m, lb, clb);
                    }
                    double[] part = ctx.readReal(pp, 3 * br, p.accBytes);
                    double[] rks = ctx.readReal(rkb, br, p.accBytes), rls = ctx.readReal(rlb, br, p.accBytes);
                    for (int i = 0; i < br; i++) {
                        kl += part[3 * i];
                        kk += part[3 * i + 1];
                        ll += part[3 * i + 2];
                        rk[r0 + i] += rks[i];
                        rl[r0 + i] += rls[i];
                    }
                    if (m > br) {
                        double[] cks = ctx.readReal(ckb, m, p.accBytes), cls = ctx.readReal(clb, m, p.accBytes);
                        for (int j = br; j < m; j++) {
                            rk[r0 + j] += cks[j];
                            rl[r0 + j] += cls[j];
                        }
                    }
                }
            }
            return new KernelStats(n, kl, kk, ll, rk, rl, diagK, diagL);
        });
    }
}

package dev.repsim.backend.opencl;

import dev.repsim.linalg.Precision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tile sizes of the tiled products in kernels/gemm.cl and the work-group size of the reductions,
 * derived from a device's limits rather than fixed for one card.
 *
 * <p>A work-group computes a {@code tsm × tsn} tile of C from {@code tsk}-deep slices held in local
 * memory; each work-item accumulates a {@code wptm × wptn} register block, so the work-group is
 * {@code (tsn/wptn) × (tsm/wptm)}. Candidates are ordered from the largest tiles down; the program
 * builder takes the first whose compiled kernels accept the work-group size (register pressure can
 * lower a kernel's limit below the device's).
 *
 * @param reduceWg work-group size (a power of two) of the tree reductions in gram.cl
 */
public record TileConfig(int tsm, int tsn, int tsk, int wptm, int wptn, int reduceWg) {

    public int wgm() { return tsm / wptm; }

    public int wgn() { return tsn / wptn; }

    public int workGroupSize() { return wgm() * wgn(); }

    /** Local memory of one gemm work-group: the two padded slices. */
    public long gemmLocalBytes(int elemBytes) { return (long) tsk * (tsm + 1 + tsn + 1) * elemBytes; }

    String defines() {
        return String.format(Locale.ROOT, " -DTSM=%d -DTSN=%d -DTSK=%d -DWPTM=%d -DWPTN=%d -DRED_WG=%d",
                tsm, tsn, tsk, wptm, wptn, reduceWg);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "tile %dx%dx%d, %dx%d per work-item, work-group %dx%d, reduction work-group %d",
                tsm, tsn, tsk, wptm, wptn, wgn(), wgm(), reduceWg);
    }

    /**
     * Candidate configurations for a device and precision, best first.
     * <ul>
     *   <li>GPUs: 16×16 work-items (fewer when the device allows fewer) with 8×8 float / 4×4 double
     *       register blocks, the classic shape that keeps enough accumulators per thread to hide
     *       local-memory latency; tsk 16 (float) or 8 (double).</li>
     *   <li>CPUs and others: 8×8 work-items; the register block's row is the preferred vector width,
     *       so that the inner update is one SIMD vector (PoCL vectorises across it); tsk 32.</li>
     * </ul>
     * Every candidate fits the device's max work-group size and local memory.
     */
    static List<TileConfig> candidates(ClDevice d, Precision p) {
        int elem = p == Precision.F64 ? 8 : 4;
        boolean gpu = d.isGpu();
        int vec = Math.max(1, p == Precision.F64 ? d.prefVectorDouble() : d.prefVectorFloat());
        int reduceWg = reduceWorkGroup(d, gpu ? 256 : 64);
        List<TileConfig> out = new ArrayList<>();
        String forced = System.getProperty("repsim.opencl.tiles");   // tuning runs: "tsm,tsn,tsk,wptm,wptn[,reduceWg]"
        if (forced != null && !forced.isBlank()) {
            String[] f = forced.split(",");
            if (f.length != 5 && f.length != 6) {
                throw new IllegalArgumentException("-Drepsim.opencl.tiles must be tsm,tsn,tsk,wptm,wptn[,reduceWg], got " + forced);
            }
            int[] v = new int[f.length];
            for (int i = 0; i < f.length; i++) v[i] = Integer.parseInt(f[i].strip());
            int rw = f.length == 6 ? v[5] : reduceWg;
            if (v[0] % v[3] != 0 || v[1] % v[4] != 0 || Integer.bitCount(rw) != 1) {
                throw new IllegalArgumentException("-Drepsim.opencl.tiles: tsm/wptm and tsn/wptn must divide and reduceWg be a power of two, got " + forced);
            }
            out.add(new TileConfig(v[0], v[1], v[2], v[3], v[4], rw));
        }
        int[] edges = gpu ? new int[] {16, 8, 4, 2, 1} : new int[] {8, 4, 2, 1};
        int[] blocks = gpu ? (elem == 4 ? new int[] {8, 4, 2, 1} : new int[] {4, 2, 1}) : new int[] {4, 2, 1};
        int tsk = gpu ? (elem == 4 ? 16 : 8) : 32;
        for (int edge : edges) {
            if ((long) edge * edge > d.maxWorkGroup()) continue;
            for (int wpt : blocks) {
                int wptn = gpu ? wpt : Math.min(8, Math.max(wpt, vec));
                for (int k = tsk; k >= 4; k /= 2) {
                    TileConfig c = new TileConfig(edge * wpt, edge * wptn, k, wpt, wptn, reduceWg);
                    if (c.gemmLocalBytes(elem) <= d.localMem()) { out.add(c); break; }
                }
            }
        }
        if (out.isEmpty()) {
            throw new OpenClException("device " + d.label() + " is too small for the tiled kernels (local memory "
                    + d.localMem() + " B, max work-group " + d.maxWorkGroup() + ")", 0);
        }
        return out;
    }

    /** Largest power of two ≤ min(cap, max work-group) whose five local accumulators fit. */
    private static int reduceWorkGroup(ClDevice d, int cap) {
        int w = 1;
        while (w * 2L <= Math.min(cap, d.maxWorkGroup()) && 5L * 8 * w * 2 <= d.localMem()) w *= 2;
        return w;
    }
}

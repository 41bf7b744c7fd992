package dev.repsim.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * How the upper triangle of ZᵀZ, Z = [A | B] with A's da columns first, is shared between threads that
 * each make single-threaded BLAS calls: every part is a list of blocks, a diagonal block run as a SYRK
 * and any other as a GEMM, and together the blocks cover each entry on or above the diagonal once.
 *
 * <p>Two splits. {@link #columnPanels} cuts the columns into panels of equal work, each a GEMM for the
 * rows above its diagonal block and a SYRK for that block. {@link #byOperands} follows the operands:
 * AᵀA to part 0, BᵀB to part 1 and AᵀB in column strips that even out the multiply-adds, so that half
 * the work (da = db) runs as GEMM. OpenBLAS's SGEMM is faster than its SSYRK, and by operands took 2–7 %
 * less time than column panels in float32 paired in one JVM (Zen 5, n = 20 000, da = db = 768; a median
 * of 2 % in JMH, within the host's drift); in float64 DSYRK keeps up with DGEMM and column panels were
 * 2–3 % faster (results/cpu-zen5-2c/extra/upper-plan/).
 */
final class UpperProductPlan {
    /** Rows [i0, i1) × columns [j0, j1) of ZᵀZ; a block with i0 = j0 and i1 = j1 is a diagonal block (its upper triangle). */
    record Block(int i0, int i1, int j0, int j1) {
        boolean diagonal() { return i0 == j0 && i1 == j1; }

        /** Multiply-adds per row of Z. */
        double work() {
            double m = i1 - i0, c = j1 - j0;
            return diagonal() ? m * (m + 1) / 2 : m * c;
        }
    }

    /** The split by operands is used while no part carries more than this factor of an even share. */
    static final double MAX_IMBALANCE = 1.05;

    private UpperProductPlan() {}

    /**
     * AᵀA, BᵀB and strips of AᵀB in {@code parts} parts, for a w-column Z whose first da columns are A;
     * column panels where that split would leave a part more than {@link #MAX_IMBALANCE} of an even share
     * (one operand's own product alone is more than a share, say) or where A or B is empty.
     */
    static List<List<Block>> byOperands(int parts, int da, int w) {
        check(parts, w);
        if (da < 0 || da > w) throw new IllegalArgumentException("A has " + da + " of " + w + " columns");
        List<List<Block>> plan = parts == 1 ? null : operandBlocks(parts, da, w);
        return plan != null && maxWork(plan) <= MAX_IMBALANCE * total(w) / parts ? plan : columnPanels(parts, w);
    }

    /** AᵀA, BᵀB and strips of AᵀB; null when A or B is empty. */
    private static List<List<Block>> operandBlocks(int parts, int da, int w) {
        int db = w - da;
        if (da == 0 || db == 0) return null;
        double share = total(w) / parts;
        List<List<Block>> plan = new ArrayList<>();
        int c = 0; // AᵀB's columns handed out so far
        for (int t = 0; t < parts; t++) {
            List<Block> part = new ArrayList<>();
            double own = 0;
            if (t == 0) part.add(new Block(0, da, 0, da));
            if (t == 1) part.add(new Block(da, w, da, w));
            for (Block b : part) own += b.work();
            int strip = t == parts - 1 ? db - c : Math.clamp(Math.round((share - own) / da), 0, db - c);
            if (strip > 0) part.add(new Block(0, da, da + c, da + c + strip));
            c += strip;
            plan.add(part);
        }
        return plan;
    }

    /** Column panels [c_t, c_t+1) of equal work in {@code parts} parts: rows above the panel by a GEMM, its diagonal block by a SYRK. */
    static List<List<Block>> columnPanels(int parts, int w) {
        check(parts, w);
        // The work left of column j grows as j², so panel t ends near w·√((t+1)/parts).
        int[] cut = new int[parts + 1];
        for (int t = 1; t <= parts; t++) {
            int even = (int) Math.round(w * Math.sqrt((double) t / parts));
            cut[t] = Math.min(w - (parts - t), Math.max(cut[t - 1] + 1, even)); // every panel at least one column
        }
        List<List<Block>> plan = new ArrayList<>();
        for (int t = 0; t < parts; t++) {
            List<Block> part = new ArrayList<>();
            if (cut[t] > 0) part.add(new Block(0, cut[t], cut[t], cut[t + 1]));
            part.add(new Block(cut[t], cut[t + 1], cut[t], cut[t + 1]));
            plan.add(part);
        }
        return plan;
    }

    private static void check(int parts, int w) {
        if (parts < 1 || parts > w) throw new IllegalArgumentException(parts + " parts for " + w + " columns");
    }

    private static double total(int w) {
        return (double) w * (w + 1) / 2;
    }

    static double maxWork(List<List<Block>> plan) {
        double max = 0;
        for (List<Block> part : plan) max = Math.max(max, part.stream().mapToDouble(Block::work).sum());
        return max;
    }
}

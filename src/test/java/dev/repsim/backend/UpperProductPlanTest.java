package dev.repsim.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.repsim.backend.UpperProductPlan.Block;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The BLAS backend's split of the upper triangle of ZᵀZ: full cover, no overlap, the split it chooses. */
class UpperProductPlanTest {

    /** Every entry on or above the diagonal in exactly one block, none below; every block non-empty. */
    @Test
    void coversTheUpperTriangleOnce() {
        int[][] shapes = {{1, 1}, {1, 2}, {2, 3}, {7, 24}, {17, 20}, {3, 164}, {161, 164}, {768, 1536}, {100, 357}, {0, 9}, {9, 9}};
        for (int[] s : shapes) {
            int da = s[0], w = s[1];
            for (int parts = 1; parts <= Math.min(w, 6); parts++) {
                assertCovers(UpperProductPlan.byOperands(parts, da, w), parts, w, "by operands, da " + da);
                assertCovers(UpperProductPlan.columnPanels(parts, w), parts, w, "column panels");
            }
        }
    }

    private static void assertCovers(List<List<Block>> plan, int parts, int w, String what) {
        String label = parts + " parts, " + what + ", w " + w + ": " + plan;
        assertEquals(parts, plan.size(), label);
        int[] hits = new int[w * w];
        for (List<Block> part : plan) {
            for (Block b : part) {
                assertTrue(b.i0() < b.i1() && b.j0() < b.j1(), "empty block in " + label);
                for (int i = b.i0(); i < b.i1(); i++) {
                    for (int j = b.diagonal() ? i : b.j0(); j < b.j1(); j++) hits[i * w + j]++;
                }
            }
        }
        for (int i = 0; i < w; i++) {
            for (int j = 0; j < w; j++) assertEquals(j >= i ? 1 : 0, hits[i * w + j], "entry (" + i + ", " + j + ") of " + label);
        }
    }

    /** Equal operands: AᵀA and BᵀB whole on parts 0 and 1, AᵀB in strips, each part within 5 % of an even share. */
    @Test
    void splitsByOperandsWhenBalanced() {
        for (int parts = 2; parts <= 4; parts++) assertSplitByOperands(parts, 768, 1536);
    }

    /** BackendContractTest's blasCoMomentsInParts meets the split by operands in its [1000, 41, 47] case. */
    @Test
    void contractShapeSplitsByOperands() {
        for (int parts = 2; parts <= 3; parts++) assertSplitByOperands(parts, 41, 88);
    }

    private static void assertSplitByOperands(int parts, int da, int w) {
        List<List<Block>> plan = UpperProductPlan.byOperands(parts, da, w);
        assertEquals(new Block(0, da, 0, da), plan.get(0).get(0), plan.toString());
        assertEquals(new Block(da, w, da, w), plan.get(1).get(0), plan.toString());
        assertTrue(UpperProductPlan.maxWork(plan) <= 1.05 * w * (w + 1) / 2 / parts, plan.toString());
    }

    /** One operand far wider: its own product alone would exceed a share, so column panels of equal work. */
    @Test
    void fallsBackToColumnPanelsWhenUnbalanced() {
        List<List<Block>> plan = UpperProductPlan.byOperands(2, 2048, 2048 + 256);
        assertEquals(new Block(0, 1629, 1629, 2304), plan.get(1).get(0), plan.toString());
        assertTrue(UpperProductPlan.maxWork(plan) <= 1.05 * 2304.0 * 2305 / 2 / 2, plan.toString());
    }

    @Test
    void rejectsMorePartsThanColumns() {
        assertThrows(IllegalArgumentException.class, () -> UpperProductPlan.byOperands(4, 1, 3));
        assertThrows(IllegalArgumentException.class, () -> UpperProductPlan.columnPanels(4, 3));
    }
}

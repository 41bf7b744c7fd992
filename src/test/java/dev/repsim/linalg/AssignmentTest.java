package dev.repsim.linalg;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assignment solver against enumeration of every permutation, with ties, signs and larger sizes. */
class AssignmentTest {

    @Test
    void matchesEveryPermutationOnSmallMatrices() {
        Random r = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int d = 1 + trial % 7;
            double[] w = new double[d * d];
            boolean ties = trial % 3 == 0; // small integers: many optimal assignments
            for (int i = 0; i < w.length; i++) w[i] = ties ? r.nextInt(4) - 1 : r.nextGaussian() * Math.exp(3 * r.nextGaussian());
            int[] p = Assignment.maximize(w, d);
            assertPermutation(p, d);
            double best = bruteForce(w, d);
            assertEquals(best, total(w, p, d), 1e-12 * Math.max(1, Math.abs(best)), "trial " + trial + " d=" + d);
        }
    }

    @Test
    void findsAHiddenPermutationInALargeMatrix() {
        int d = 300;
        Random r = new Random(8);
        int[] hidden = new int[d];
        for (int i = 0; i < d; i++) hidden[i] = i;
        for (int i = d - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = hidden[i];
            hidden[i] = hidden[j];
            hidden[j] = t;
        }
        double[] w = new double[d * d];
        for (int i = 0; i < w.length; i++) w[i] = r.nextDouble();
        for (int i = 0; i < d; i++) w[i * d + hidden[i]] = 2; // strictly the best entry of its row and column
        assertArrayEquals(hidden, Assignment.maximize(w, d));
    }

    @Test
    void noExchangeImprovesALargeRandomAssignment() {
        int d = 120;
        Random r = new Random(9);
        double[] w = new double[d * d];
        for (int i = 0; i < w.length; i++) w[i] = r.nextGaussian();
        int[] p = Assignment.maximize(w, d);
        assertPermutation(p, d);
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double now = w[i * d + p[i]] + w[j * d + p[j]], swapped = w[i * d + p[j]] + w[j * d + p[i]];
                assertTrue(swapped <= now + 1e-12, "exchanging rows " + i + " and " + j + " improves the total");
            }
        }
    }

    @Test
    void rejectsBadWeights() {
        assertThrows(IllegalArgumentException.class, () -> Assignment.maximize(new double[]{1, 2, 3}, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Assignment.maximize(new double[]{1, Double.NaN, 3, 4}, 2));
        assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
    }

    private static void assertPermutation(int[] p, int d) {
        boolean[] seen = new boolean[d];
        for (int c : p) {
            assertTrue(c >= 0 && c < d && !seen[c], "not a permutation");
            seen[c] = true;
        }
    }

    private static double total(double[] w, int[] p, int d) {
        double s = 0;
        for (int i = 0; i < d; i++) s += w[i * d + p[i]];
        return s;
    }

    private static double bruteForce(double[] w, int d) {
        int[] a = new int[d];
        for (int i = 0; i < d; i++) a[i] = i;
        return permute(w, d, a, 0);
    }

    private static double permute(double[] w, int d, int[] a, int k) {
        if (k == d) return total(w, a, d);
        double best = Double.NEGATIVE_INFINITY;
        for (int i = k; i < d; i++) {
            int t = a[k]; a[k] = a[i]; a[i] = t;
            best = Math.max(best, permute(w, d, a, k + 1));
            t = a[k]; a[k] = a[i]; a[i] = t;
        }
        return best;
    }
}

package dev.repsim.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quickselect against sorting: distinct values, heavy ties, one value, every rank of small arrays. */
class SelectionTest {
    @Test
    void matchesSortingAtEveryRank() {
        Random r = new Random(1);
        for (int len : new int[]{1, 2, 3, 17, 200}) {
            for (int distinct : new int[]{1, 3, 1000}) {
                double[] v = new double[len];
                for (int i = 0; i < len; i++) v[i] = r.nextInt(distinct) - 0.5 * distinct + (distinct > 100 ? r.nextGaussian() : 0);
                double[] sorted = v.clone();
                Arrays.sort(sorted);
                for (int k = 0; k < len; k++) {
                    double[] w = v.clone();
                    assertEquals(sorted[k], Selection.kth(w, k), "len " + len + " distinct " + distinct + " rank " + k);
                    for (int t = k + 1; t < len; t++) assertTrue(w[t] >= sorted[k], "no smaller value after rank " + k);
                }
            }
        }
    }

    @Test
    void largeArrayWithTiesAndInfinities() {
        Random r = new Random(2);
        double[] v = new double[300_000];
        for (int i = 0; i < v.length; i++) v[i] = i % 7 == 0 ? Double.NEGATIVE_INFINITY : i % 11 == 0 ? Double.POSITIVE_INFINITY : r.nextInt(50);
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        for (int k : new int[]{0, 42_857, 42_858, 150_000, 299_999}) assertEquals(sorted[k], Selection.kth(v.clone(), k), "rank " + k);
    }

    @Test
    void rejectsNaNAndBadRanks() {
        assertThrows(ArithmeticException.class, () -> Selection.kth(new double[]{1, Double.NaN, 0}, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> Selection.kth(new double[]{1, 2}, 2));
    }
}

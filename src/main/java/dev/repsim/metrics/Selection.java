package dev.repsim.metrics;

import java.util.SplittableRandom;

/** Order statistics of a double array in expected linear time (quickselect, Hoare 1961). */
final class Selection {
    private Selection() {}

    /**
     * The r-th smallest (0-based) value of {@code v}, which is reordered so that no value after position r
     * is smaller (so the (r+1)-th smallest is the minimum of v[r+1..]). Random pivots and a three-way
     * partition (values below, equal to and above the pivot) keep it linear on inputs with many ties.
     * NaN is not allowed.
     */
    static double kth(double[] v, int r) {
        if (r < 0 || r >= v.length) throw new IndexOutOfBoundsException("rank " + r + " of " + v.length);
        SplittableRandom rnd = new SplittableRandom(v.length);
        int lo = 0, hi = v.length; // the answer is in v[lo, hi)
        while (true) {
            double pivot = v[lo + rnd.nextInt(hi - lo)];
            // v[lo, lt) < pivot, v[lt, i) == pivot, v[gt, hi) > pivot
            int lt = lo, i = lo, gt = hi;
            while (i < gt) {
                double x = v[i];
                if (x < pivot) {
                    v[i++] = v[lt];
                    v[lt++] = x;
                } else if (x > pivot) {
                    v[i] = v[--gt];
                    v[gt] = x;
                } else if (x == pivot) {
                    i++;
                } else {
                    throw new ArithmeticException("NaN in a selection");
                }
            }
            if (r < lt) hi = lt;
            else if (r >= gt) lo = gt;
            else return pivot;
        }
    }
}

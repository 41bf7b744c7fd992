package dev.repsim.linalg;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vector implementation of the canonical order equals the scalar definition bit for bit, at every
 * width this JVM runs (the surefire executions repeat it under -XX:MaxVectorSize=16 and 32; the
 * cross-width test compares the widths, and -Xint, with each other).
 */
class FixedOrderSumsTest {

    /** Terms spread over many binades, so that any change of order changes the rounded sum. */
    private static double[] wide(SplittableRandom r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = (r.nextDouble() - 0.5) * Math.scalb(1.0, r.nextInt(-30, 30));
        return v;
    }

    @Test
    void distancesNormsAndDotsEqualTheScalarDefinition() {
        SplittableRandom r = new SplittableRandom(42);
        for (int d : new int[]{0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257, 768, 1025}) {
            for (int rep = 0; rep < 20; rep++) {
                int n = 3;
                Matrix x = Matrix.of(n, d, wide(r, n * d));
                double[] a = x.f64();
                for (int i = 0; i < n; i++) {
                    assertEquals(CanonicalReference.squaredNorm(x, i), FixedOrderSums.squaredNorm(a, i * d, d), 0.0,
                            "norm d=" + d + " lanes=" + FixedOrderSums.lanes());
                    for (int j = 0; j < n; j++) {
                        assertEquals(CanonicalReference.dot(x.rows(i, i + 1).f64(), x.rows(j, j + 1).f64()),
                                FixedOrderSums.dot(a, i * d, a, j * d, d), 0.0, "dot d=" + d + " lanes=" + FixedOrderSums.lanes());
                        assertEquals(CanonicalReference.squaredDistance(x, i, j),
                                FixedOrderSums.squaredDistance(a, i * d, a, j * d, d), 0.0,
                                "distance d=" + d + " lanes=" + FixedOrderSums.lanes());
                    }
                }
            }
        }
    }

    /** Four rows per pass (and the rows left over) give each row's {@link FixedOrderSums#dot}, bit for bit. */
    @Test
    void dotsOfRowsEqualOneDotPerRow() {
        SplittableRandom r = new SplittableRandom(43);
        for (int d : new int[]{0, 1, 7, 8, 9, 31, 64, 100, 257, 768}) {
            for (int rows : new int[]{0, 1, 3, 4, 5, 8, 11}) {
                int width = d + 3, to = 2, uo = 1, oo = 5;
                double[] t = wide(r, to + rows * width), u = wide(r, uo + d), out = new double[oo + rows + 2];
                out[oo + rows] = 17.0;
                FixedOrderSums.dots(t, to, width, rows, u, uo, d, out, oo);
                for (int i = 0; i < rows; i++) {
                    assertEquals(FixedOrderSums.dot(t, to + i * width, u, uo, d), out[oo + i], 0.0,
                            "row " + i + " of " + rows + ", d=" + d + " lanes=" + FixedOrderSums.lanes());
                }
                assertEquals(17.0, out[oo + rows], 0.0, "nothing written past the rows");
            }
        }
    }

    @Test
    void theOrderMattersOnTheseData() {
        // Guards the test above: on these data a plain sequential sum differs from the canonical one,
        // so agreement above is not an accident of order-insensitive data.
        SplittableRandom r = new SplittableRandom(7);
        int differ = 0;
        for (int rep = 0; rep < 50; rep++) {
            double[] v = wide(r, 768);
            double seq = 0;
            for (double t : v) seq += t * t;
            if (seq != FixedOrderSums.squaredNorm(v, 0, v.length)) differ++;
        }
        assertTrue(differ > 10, "sequential and canonical sums differ on " + differ + " of 50");
    }
}

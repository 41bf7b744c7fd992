package dev.repsim.metrics.rsa;

import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The exact rank sums behind rsa: 128-bit integer sums and Spearman's ρ with average ranks for ties. */
class PairSpearmanTest {

    @Test
    void exactSumMatchesBigIntegerPastTheLongRange() {
        Random r = new Random(1);
        ExactSum s = new ExactSum();
        BigInteger want = BigInteger.ZERO;
        for (int i = 0; i < 10_000; i++) {
            // mostly large positive terms (the sum passes 2⁶⁴), some negative ones, and the extremes
            long v = i % 97 == 0 ? Long.MIN_VALUE : i % 89 == 0 ? Long.MAX_VALUE : (r.nextLong() >>> 1) * (i % 5 == 0 ? -1 : 1);
            s.add(v);
            want = want.add(BigInteger.valueOf(v));
        }
        assertEquals(want.doubleValue(), s.value(), Math.abs(want.doubleValue()) * 0x1p-50);
        ExactSum small = new ExactSum();
        small.add(-3);
        small.add(1);
        assertEquals(-2.0, small.value());
    }

    @Test
    void rhoMatchesCommonsMathWithAndWithoutTies() {
        Random r = new Random(2);
        for (int levels : new int[] {3, 10, 0}) { // 0: continuous values, no ties
            double[] a = new double[500], b = new double[500];
            for (int i = 0; i < a.length; i++) {
                a[i] = levels == 0 ? r.nextGaussian() : r.nextInt(levels);
                b[i] = levels == 0 ? a[i] + r.nextGaussian() : (a[i] + r.nextInt(levels)) % levels;
            }
            double want = new SpearmansCorrelation().correlation(a, b);
            assertEquals(want, PairSpearman.rho(a.clone(), b), 1e-12, "levels " + levels);
        }
    }
}

package dev.repsim.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^t with the same bits in vector lanes and in scalar code, compiled or interpreted. The Vector API's
 * {@code lanewise(EXP)} runs a vendor library (SVML) once C2 compiles the loop and {@code Math.exp}
 * before, which may differ in the last bit, so an RBF kernel summed over millions of entries printed
 * different digits on a cold and a warm run. Here every step is an IEEE operation (add, multiply,
 * fused multiply-add) or integer bit arithmetic, all exactly specified:
 * <ol>
 * <li>k = round(t·log₂e) by adding and subtracting 1.5·2⁵² (round to nearest even);</li>
 * <li>r = t − k·ln2 in two fma steps (ln2 split into a 32-bit head and a tail), |r| ≤ 0.35;</li>
 * <li>e^r by Horner's rule on the Taylor polynomial of degree 13 (truncation below 2⁻⁵⁹ of e^r);</li>
 * <li>the product with 2^(k+54) (a normal number for every k ≥ −1076) and then 2⁻⁵⁴, so that results
 *     in the subnormal range need no special case.</li>
 * </ol>
 * For t ≤ 0 (the RBF kernels' exponents), accurate to a few ulps; below −746 the result is 0 and NaN
 * stays NaN. Positive t is outside its domain (2^(k+54) overflows from t ≈ 672).
 */
public final class PortableExp {
    private static final double LOG2E = 1.4426950408889634;
    private static final double LN2_HI = 0.6931471803691238;   // ln 2 rounded to 32 significant bits
    private static final double LN2_LO = 1.9082149292705877e-10; // ln 2 − LN2_HI
    private static final double SHIFTER = 0x1.8p52;
    private static final long SHIFTER_BITS = Double.doubleToRawLongBits(SHIFTER);
    private static final double MIN = -746.0;
    /** 1/j! for j = 13 … 2, highest degree first (twelve: the vector exp writes them out). */
    private static final double[] C = new double[12];

    static {
        double f = 1;
        for (int j = 2; j <= 13; j++) {
            f *= j;
            C[13 - j] = 1.0 / f;
        }
    }

    private PortableExp() {}

    public static double exp(double t) {
        t = Math.max(t, MIN);
        double kd = Math.fma(t, LOG2E, SHIFTER);
        long k = Double.doubleToRawLongBits(kd) - SHIFTER_BITS;
        kd -= SHIFTER;
        double r = Math.fma(-kd, LN2_HI, t);
        r = Math.fma(-kd, LN2_LO, r);
        double p = C[0];
        for (int j = 1; j < C.length; j++) p = Math.fma(p, r, C[j]);
        p = Math.fma(p, r, 1.0);
        p = Math.fma(p, r, 1.0);
        return p * Double.longBitsToDouble((k + 54 + 1023) << 52) * 0x1p-54;
    }

    public static DoubleVector exp(DoubleVector t) {
        VectorSpecies<Double> s = t.species();
        t = t.max(MIN);
        DoubleVector kd = t.fma(DoubleVector.broadcast(s, LOG2E), DoubleVector.broadcast(s, SHIFTER));
        LongVector k = kd.reinterpretAsLongs().sub(SHIFTER_BITS);
        kd = kd.sub(SHIFTER);
        // kd·LN2_HI is exact (11 + 32 bits), so a product then a sum rounds once, as the scalar fma.
        DoubleVector r = kd.mul(-LN2_HI).add(t);
        r = kd.neg().fma(DoubleVector.broadcast(s, LN2_LO), r);
        DoubleVector scale = k.add(54 + 1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return taylor(r).mul(scale).mul(0x1p-54);
    }

    /**
     * e^r by Horner's rule, written out: the same operations as the scalar loop. A loop would carry p in a
     * vector phi, which C2 compiled from full profiles (tier 3, or -XX:-TieredCompilation) leaves with an
     * inexact vector type, so that the caller's store of the result is not intrinsified and whole runs of
     * RBF CKA took twice as long (results/cpu-intel-avx512-2c/extra/rbf-forks/). A method of its own
     * because C2 inlines no method over 325 bytes of bytecode (FreqInlineSize): in one method with the
     * range reduction, exp was called out of line, and every call boxed its argument and its result
     * (allocating a vector and its lane array each: about 1 GB/s in RBF CKA;
     * results/cpu-zen5-2c/extra/exp-inline/).
     */
    private static DoubleVector taylor(DoubleVector r) {
        VectorSpecies<Double> s = r.species();
        DoubleVector p = DoubleVector.broadcast(s, C[0]).fma(r, DoubleVector.broadcast(s, C[1]));
        p = p.fma(r, DoubleVector.broadcast(s, C[2])).fma(r, DoubleVector.broadcast(s, C[3]));
        p = p.fma(r, DoubleVector.broadcast(s, C[4])).fma(r, DoubleVector.broadcast(s, C[5]));
        p = p.fma(r, DoubleVector.broadcast(s, C[6])).fma(r, DoubleVector.broadcast(s, C[7]));
        p = p.fma(r, DoubleVector.broadcast(s, C[8])).fma(r, DoubleVector.broadcast(s, C[9]));
        p = p.fma(r, DoubleVector.broadcast(s, C[10])).fma(r, DoubleVector.broadcast(s, C[11]));
        DoubleVector one = DoubleVector.broadcast(s, 1.0);
        return p.fma(r, one).fma(r, one);
    }
}

package dev.repsim.linalg;

import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accuracy against StrictMath (fdlibm, ≤ 1 ulp), and vector lanes equal to the scalar form bit for bit. */
class PortableExpTest {

    @Test
    void accurateOverTheDomain() {
        SplittableRandom r = new SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double t = i < 100_000 ? -r.nextDouble() * 40 : -r.nextDouble() * 708;
            double ref = StrictMath.exp(t), got = PortableExp.exp(t);
            worst = Math.max(worst, Math.abs(got - ref) / Math.ulp(ref));
        }
        assertTrue(worst <= 2, "worst error " + worst + " ulp");
        assertEquals(1.0, PortableExp.exp(0.0));
        assertEquals(1.0, PortableExp.exp(-0.0));
        assertEquals(0.0, PortableExp.exp(-800));
        assertEquals(0.0, PortableExp.exp(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(PortableExp.exp(Double.NaN)));
        // the subnormal range: within a relative 1e-3 (the double rounding there is coarse by nature)
        for (double t : new double[]{-709, -720, -740}) {
            assertEquals(StrictMath.exp(t), PortableExp.exp(t), 1e-3 * StrictMath.exp(t), "t=" + t);
        }
    }

    @Test
    void vectorLanesEqualTheScalarForm() {
        var s = DoubleVector.SPECIES_PREFERRED;
        SplittableRandom r = new SplittableRandom(4);
        double[] t = new double[s.length() * 4096], out = new double[t.length];
        for (int i = 0; i < t.length; i++) t[i] = i % 97 == 0 ? -745.5 + r.nextDouble() : -r.nextDouble() * Math.scalb(1.0, r.nextInt(-10, 10));
        for (int i = 0; i < t.length; i += s.length()) PortableExp.exp(DoubleVector.fromArray(s, t, i)).intoArray(out, i);
        for (int i = 0; i < t.length; i++) {
            assertEquals(Double.doubleToRawLongBits(PortableExp.exp(t[i])), Double.doubleToRawLongBits(out[i]), "t=" + t[i]);
        }
    }
}

package dev.repsim.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one summation order behind every value repsim calls exact (the median bandwidth and its ranks,
 * direct-form distances, neighbour sets), so that those values are bit-identical on every machine,
 * vector width, JIT state and thread count.
 *
 * <p>The canonical sum of terms t_0 … t_{d−1} (here t_c = (x_c − y_c)², x_c² or x_c·y_c):
 * <ol>
 * <li>eight partial sums p_r = fma-chain of t_c over c ≡ r (mod 8), c &lt; 8⌊d/8⌋, in increasing c,
 *     each started at +0 (t_c formed and added by one fused multiply-add);</li>
 * <li>s = ((p_0 + p_1) + (p_2 + p_3)) + ((p_4 + p_5) + (p_6 + p_7));</li>
 * <li>the tail c ≥ 8⌊d/8⌋ added to s in increasing c, each by one fused multiply-add.</li>
 * </ol>
 * Each step is a correctly rounded IEEE operation whose order does not depend on the hardware, so any
 * implementation of it (vector lanes of 2, 4 or 8, or a scalar loop, compiled or interpreted) gives the
 * same bits. Vector lanes map onto the eight partial sums: a 512-bit vector holds all eight, narrower
 * vectors split them into 2 or 4 accumulators. {@code reduceLanes} is never used: its order is unspecified.
 */
public final class FixedOrderSums {
    /** Number of partial sums of the canonical order. */
    public static final int PARTS = 8;
    private static final VectorSpecies<Double> S = species();
    /** Vector accumulators covering the eight partial sums. */
    private static final int ACCS = PARTS / S.length();

    private FixedOrderSums() {}

    /**
     * Σ of v's lanes in lane order, v stored into {@code scratch} (at least v.length() long). Not the
     * canonical order (it follows the vector width), but the same bits compiled or interpreted:
     * {@code reduceLanes(ADD)} leaves the order to the implementation, C2's intrinsic and the
     * interpreter's fallback differ, and sums reduced with it changed in their last bits from run to run
     * with the moment the JIT took over.
     */
    public static double laneSum(DoubleVector v, double[] scratch) {
        v.intoArray(scratch, 0);
        double s = scratch[0];
        for (int i = 1; i < v.length(); i++) s += scratch[i];
        return s;
    }

    /** The preferred double species, capped at eight lanes (no double species is wider today). */
    private static VectorSpecies<Double> species() {
        VectorSpecies<Double> s = DoubleVector.SPECIES_PREFERRED;
        return s.length() > PARTS ? DoubleVector.SPECIES_512 : s;
    }

    /** Σ_c (x[a + c] − y[b + c])² for c &lt; d, in the canonical order. */
    public static double squaredDistance(double[] x, int a, double[] y, int b, int d) {
        int body = d & -PARTS;
        double s = switch (ACCS) {
            case 1 -> distance1(x, a, y, b, body);
            case 2 -> distance2(x, a, y, b, body);
            case 4 -> distance4(x, a, y, b, body);
            default -> distanceScalar(x, a, y, b, body);
        };
        for (int c = body; c < d; c++) {
            double t = x[a + c] - y[b + c];
            s = Math.fma(t, t, s);
        }
        return s;
    }

    /** Σ_c x[a + c]² for c &lt; d, in the canonical order. */
    public static double squaredNorm(double[] x, int a, int d) {
        int body = d & -PARTS;
        double s = switch (ACCS) {
            case 1 -> norm1(x, a, body);
            case 2 -> norm2(x, a, body);
            case 4 -> norm4(x, a, body);
            default -> normScalar(x, a, body);
        };
        for (int c = body; c < d; c++) s = Math.fma(x[a + c], x[a + c], s);
        return s;
    }

    /** Σ_c x[a + c]·y[b + c] for c &lt; d, in the canonical order (t_c = x_c·y_c). */
    public static double dot(double[] x, int a, double[] y, int b, int d) {
        int body = d & -PARTS;
        double s = switch (ACCS) {
            case 1 -> dot1(x, a, y, b, body);
            case 2 -> dot2(x, a, y, b, body);
            case 4 -> dot4(x, a, y, b, body);
            default -> dotScalar(x, a, y, b, body);
        };
        for (int c = body; c < d; c++) s = Math.fma(x[a + c], y[b + c], s);
        return s;
    }

    /**
     * out[oo + r] = Σ_c t[to + r·width + c]·u[uo + c] for c &lt; d and each row r &lt; rows: each the
     * {@link #dot} of its row with u (the same bits), four rows per pass, so that the four rows' partial
     * sums are independent chains and u is loaded once for all four (a matrix–vector product A u of a
     * row-major A, which one dot per row runs at the latency of a single chain).
     */
    public static void dots(double[] t, int to, int width, int rows, double[] u, int uo, int d, double[] out, int oo) {
        int body = d & -PARTS, r = 0;
        if (ACCS == 1 || ACCS == 2) {
            for (; r + 4 <= rows; r += 4) {
                int a = to + r * width;
                if (ACCS == 1) dots4x1(t, a, width, u, uo, body, out, oo + r);
                else dots4x2(t, a, width, u, uo, body, out, oo + r);
                for (int q = 0; q < 4; q++) {
                    double s = out[oo + r + q];
                    int row = a + q * width;
                    for (int c = body; c < d; c++) s = Math.fma(t[row + c], u[uo + c], s);
                    out[oo + r + q] = s;
                }
            }
        }
        for (; r < rows; r++) out[oo + r] = dot(t, to + r * width, u, uo, d);
    }

    /** Steps 1 and 2 of {@link #dots} for four rows, one eight-lane accumulator per row. */
    private static void dots4x1(double[] t, int a, int width, double[] u, int uo, int body, double[] out, int o) {
        int a1 = a + width, a2 = a1 + width, a3 = a2 + width;
        DoubleVector p0 = DoubleVector.zero(S), p1 = p0, p2 = p0, p3 = p0;
        for (int c = 0; c < body; c += PARTS) {
            DoubleVector y = DoubleVector.fromArray(S, u, uo + c);
            p0 = DoubleVector.fromArray(S, t, a + c).fma(y, p0);
            p1 = DoubleVector.fromArray(S, t, a1 + c).fma(y, p1);
            p2 = DoubleVector.fromArray(S, t, a2 + c).fma(y, p2);
            p3 = DoubleVector.fromArray(S, t, a3 + c).fma(y, p3);
        }
        out[o] = tree(p0);
        out[o + 1] = tree(p1);
        out[o + 2] = tree(p2);
        out[o + 3] = tree(p3);
    }

    /** Steps 1 and 2 of {@link #dots} for four rows, two four-lane accumulators per row. */
    private static void dots4x2(double[] t, int a, int width, double[] u, int uo, int body, double[] out, int o) {
        int a1 = a + width, a2 = a1 + width, a3 = a2 + width;
        DoubleVector p0 = DoubleVector.zero(S), q0 = p0, p1 = p0, q1 = p0, p2 = p0, q2 = p0, p3 = p0, q3 = p0;
        for (int c = 0; c < body; c += PARTS) {
            DoubleVector y = DoubleVector.fromArray(S, u, uo + c), z = DoubleVector.fromArray(S, u, uo + c + 4);
            p0 = DoubleVector.fromArray(S, t, a + c).fma(y, p0);
            q0 = DoubleVector.fromArray(S, t, a + c + 4).fma(z, q0);
            p1 = DoubleVector.fromArray(S, t, a1 + c).fma(y, p1);
            q1 = DoubleVector.fromArray(S, t, a1 + c + 4).fma(z, q1);
            p2 = DoubleVector.fromArray(S, t, a2 + c).fma(y, p2);
            q2 = DoubleVector.fromArray(S, t, a2 + c + 4).fma(z, q2);
            p3 = DoubleVector.fromArray(S, t, a3 + c).fma(y, p3);
            q3 = DoubleVector.fromArray(S, t, a3 + c + 4).fma(z, q3);
        }
        out[o] = tree(p0, q0);
        out[o + 1] = tree(p1, q1);
        out[o + 2] = tree(p2, q2);
        out[o + 3] = tree(p3, q3);
    }

    /** Step 2: the fixed tree over the eight partial sums. */
    private static double tree(double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7) {
        return ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7));
    }

    private static double tree(DoubleVector v) {
        return tree(v.lane(0), v.lane(1), v.lane(2), v.lane(3), v.lane(4), v.lane(5), v.lane(6), v.lane(7));
    }

    private static double tree(DoubleVector lo, DoubleVector hi) {
        return tree(lo.lane(0), lo.lane(1), lo.lane(2), lo.lane(3), hi.lane(0), hi.lane(1), hi.lane(2), hi.lane(3));
    }

    private static double tree(DoubleVector v0, DoubleVector v1, DoubleVector v2, DoubleVector v3) {
        return tree(v0.lane(0), v0.lane(1), v1.lane(0), v1.lane(1), v2.lane(0), v2.lane(1), v3.lane(0), v3.lane(1));
    }

    private static double distance1(double[] x, int a, double[] y, int b, int body) {
        DoubleVector p = DoubleVector.zero(S);
        for (int c = 0; c < body; c += PARTS) {
            DoubleVector t = DoubleVector.fromArray(S, x, a + c).sub(DoubleVector.fromArray(S, y, b + c));
            p = t.fma(t, p);
        }
        return tree(p);
    }

    private static double distance2(double[] x, int a, double[] y, int b, int body) {
        DoubleVector p0 = DoubleVector.zero(S), p1 = p0;
        for (int c = 0; c < body; c += PARTS) {
            DoubleVector t0 = DoubleVector.fromArray(S, x, a + c).sub(DoubleVector.fromArray(S, y, b + c));
            DoubleVector t1 = DoubleVector.fromArray(S, x, a + c + 4).sub(DoubleVector.fromArray(S, y, b + c + 4));
            p0 = t0.fma(t0, p0);
            p1 = t1.fma(t1, p1);
        }
        return tree(p0, p1);
    }

    private static double distance4(double[] x, int a, double[] y, int b, int body) {
        DoubleVector p0 = DoubleVector.zero(S), p1 = p0, p2 = p0, p3 = p0;
        for (int c = 0; c < body; c += PARTS) {
            DoubleVector t0 = DoubleVector.fromArray(S, x, a + c).sub(DoubleVector.fromArray(S, y, b + c));
            DoubleVector t1 = DoubleVector.fromArray(S, x, a + c + 2).sub(DoubleVector.fromArray(S, y, b + c + 2));
            DoubleVector t2 = DoubleVector.fromArray(S, x, a + c + 4).sub(DoubleVector.fromArray(S, y, b + c + 4));
            DoubleVector t3 = DoubleVector.fromArray(S, x, a + c + 6).sub(DoubleVector.fromArray(S, y, b + c + 6));
            p0 = t0.fma(t0, p0);
            p1 = t1.fma(t1, p1);
            p2 = t2.fma(t2, p2);
            p3 = t3.fma(t3, p3);
        }
        return tree(p0, p1, p2, p3);
    }

    private static double distanceScalar(double[] x, int a, double[] y, int b, int body) {
        double[] p = new double[PARTS];
        for (int c = 0; c < body; c++) {
            double t = x[a + c] - y[b + c];
            p[c & 7] = Math.fma(t, t, p[c & 7]);
        }
        return tree(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
    }

    private static double norm1(double[] x, int a, int body) {
        DoubleVector p = DoubleVector.zero(S);
        for (int c = 0; c < body; c += PARTS) {
            DoubleVector t = DoubleVector.fromArray(S, x, a + c);
            p = t.fma(t, p);
        }
        return tree(p);
    }

    private static double norm2(double[] x, int a, int body) {
        DoubleVector p0 = DoubleVector.zero(S), p1 = p0;
        for (int c = 0; c < body; c += PARTS) {
            DoubleVector t0 = DoubleVector.fromArray(S, x, a + c), t1 = DoubleVector.fromArray(S, x, a + c + 4);
            p0 = t0.fma(t0, p0);
            p1 = t1.fma(t1, p1);
        }
        return tree(p0, p1);
    }

    private static double norm4(double[] x, int a, int body) {
        DoubleVector p0 = DoubleVector.zero(S), p1 = p0, p2 = p0, p3 = p0;
        for (int c = 0; c < body; c += PARTS) {
            DoubleVector t0 = DoubleVector.fromArray(S, x, a + c), t1 = DoubleVector.fromArray(S, x, a + c + 2);
            DoubleVector t2 = DoubleVector.fromArray(S, x, a + c + 4), t3 = DoubleVector.fromArray(S, x, a + c + 6);
            p0 = t0.fma(t0, p0);
            p1 = t1.fma(t1, p1);
            p2 = t2.fma(t2, p2);
            p3 = t3.fma(t3, p3);
        }
        return tree(p0, p1, p2, p3);
    }

    private static double normScalar(double[] x, int a, int body) {
        double[] p = new double[PARTS];
        for (int c = 0; c < body; c++) p[c & 7] = Math.fma(x[a + c], x[a + c], p[c & 7]);
        return tree(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
    }

    private static double dot1(double[] x, int a, double[] y, int b, int body) {
        DoubleVector p = DoubleVector.zero(S);
        for (int c = 0; c < body; c += PARTS) {
            p = DoubleVector.fromArray(S, x, a + c).fma(DoubleVector.fromArray(S, y, b + c), p);
        }
        return tree(p);
    }

    private static double dot2(double[] x, int a, double[] y, int b, int body) {
        DoubleVector p0 = DoubleVector.zero(S), p1 = p0;
        for (int c = 0; c < body; c += PARTS) {
            p0 = DoubleVector.fromArray(S, x, a + c).fma(DoubleVector.fromArray(S, y, b + c), p0);
            p1 = DoubleVector.fromArray(S, x, a + c + 4).fma(DoubleVector.fromArray(S, y, b + c + 4), p1);
        }
        return tree(p0, p1);
    }

    private static double dot4(double[] x, int a, double[] y, int b, int body) {
        DoubleVector p0 = DoubleVector.zero(S), p1 = p0, p2 = p0, p3 = p0;
        for (int c = 0; c < body; c += PARTS) {
            p0 = DoubleVector.fromArray(S, x, a + c).fma(DoubleVector.fromArray(S, y, b + c), p0);
            p1 = DoubleVector.fromArray(S, x, a + c + 2).fma(DoubleVector.fromArray(S, y, b + c + 2), p1);
            p2 = DoubleVector.fromArray(S, x, a + c + 4).fma(DoubleVector.fromArray(S, y, b + c + 4), p2);
            p3 = DoubleVector.fromArray(S, x, a + c + 6).fma(DoubleVector.fromArray(S, y, b + c + 6), p3);
        }
        return tree(p0, p1, p2, p3);
    }

    private static double dotScalar(double[] x, int a, double[] y, int b, int body) {
        double[] p = new double[PARTS];
        for (int c = 0; c < body; c++) p[c & 7] = Math.fma(x[a + c], y[b + c], p[c & 7]);
        return tree(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]);
    }

    /** The vector width the canonical sums run at here, for diagnostics. */
    public static int lanes() {
        return S.length();
    }
}

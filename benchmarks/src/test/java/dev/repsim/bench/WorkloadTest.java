package dev.repsim.bench;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkloadTest {

    @Test
    void sameSeedSameDataWhateverTheThreadCount() throws Exception {
        Matrix a = Workload.features(1000, 24, Precision.F64, 7);
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            Matrix b = one.submit(() -> Workload.features(1000, 24, Precision.F64, 7)).get();
            assertArrayEquals(a.f64(), b.f64());
        } finally {
            one.shutdown();
        }
        assertFalse(java.util.Arrays.equals(a.f64(), Workload.features(1000, 24, Precision.F64, 8).f64()));
    }

    @Test
    void float32DataIsTheRoundedFloat64Data() {
        Matrix d = Workload.features(300, 10, Precision.F64, 3);
        Matrix f = Workload.features(300, 10, Precision.F32, 3);
        for (int i = 0; i < d.f64().length; i++) assertEquals((float) d.f64()[i], f.f32()[i]);
    }

    @Test
    void columnsHaveTheDecayingScale() {
        int n = 40_000, d = 6;
        Matrix x = Workload.features(n, d, Precision.F64, 11);
        for (int j = 0; j < d; j++) {
            double s = 0, ss = 0;
            for (int i = 0; i < n; i++) { double v = x.get(i, j); s += v; ss += v * v; }
            double sd = Math.sqrt(ss / n - (s / n) * (s / n));
            // standard error of a sample std is σ/√(2n) ≈ 0.35 % here
            assertEquals(1 / Math.sqrt(1 + j), sd, 0.02 / Math.sqrt(1 + j));
        }
    }

    @Test
    void partnerColumnsCorrelateWithExactlyOneColumnOfX() {
        int n = 20_000, d = 12;
        Matrix x = Workload.features(n, d, Precision.F64, 5);
        Matrix y = Workload.partner(x, 6);
        for (int j = 0; j < d; j++) {
            int strong = 0;
            for (int k = 0; k < d; k++) {
                double r = Math.abs(correlation(x, k, y, j));
                if (r > 0.5) {
                    strong++;
                    assertEquals(0.8, r, 0.02);
                } else {
                    assertTrue(r < 0.05, "spurious correlation " + r);
                }
            }
            assertEquals(1, strong);
        }
    }

    private static double correlation(Matrix a, int ca, Matrix b, int cb) {
        int n = a.rows();
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (int i = 0; i < n; i++) {
            double u = a.get(i, ca), v = b.get(i, cb);
            sa += u; sb += v; saa += u * u; sbb += v * v; sab += u * v;
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
    }
}

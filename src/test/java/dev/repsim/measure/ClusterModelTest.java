package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ClusterModel} on runs that follow a known law exactly. */
class ClusterModelTest {
    /** Amdahl per unit of work with a fixed start: t = 5 + u·(1e-3 + 9e-3/W). */
    private static double law(int w, double u) {
        return 5 + u * (1e-3 + 9e-3 / w);
    }

    private static List<ClusterModel.Run> runs(int[] workers, double[] work) {
        List<ClusterModel.Run> out = new ArrayList<>();
        for (int w : workers) for (double u : work) out.add(new ClusterModel.Run(w, u, law(w, u)));
        return out;
    }

    @Test
    void recoversAmdahlsLawFromOneAndTwoWorkersAndFlagsMoreAsExtrapolated() {
        ClusterModel m = ClusterModel.fit(runs(new int[]{1, 2}, new double[]{1e3, 4e3}));
        assertTrue(m.fitsFixedStart());
        for (int w : new int[]{1, 2, 8}) {
            ClusterModel.Prediction p = m.predict(w, 2e3);
            assertEquals(law(w, 2e3), p.seconds(), law(w, 2e3) * 1e-9);
            assertEquals(law(1, 2e3) / law(w, 2e3), p.speedup(), 1e-9);
            assertEquals(p.seconds(), p.low(), p.seconds() * 1e-6, "exact runs: an interval of zero width");
            assertEquals(w > 2, p.extrapolated(), "workers " + w);
        }
        assertTrue(m.predict(2, 8e3).extrapolated(), "work beyond the measured runs");
        assertFalse(m.predict(2, 1e3).extrapolated());
    }

    @Test
    void aSecondWorkerNoFasterPredictsNoGain() {
        // two workers take as long as one: the shared part comes out 0, so no count of workers helps
        List<ClusterModel.Run> runs = List.of(new ClusterModel.Run(1, 100, 20), new ClusterModel.Run(2, 100, 20),
                new ClusterModel.Run(1, 300, 40), new ClusterModel.Run(2, 300, 40));
        ClusterModel m = ClusterModel.fit(runs);
        assertEquals(0, m.coefficients()[2]);
        assertEquals(30, m.predict(16, 200).seconds(), 1e-9);
        assertEquals(1, m.predict(16, 200).speedup(), 1e-12);
    }

    @Test
    void oneSizeFitsNoFixedStart() {
        ClusterModel m = ClusterModel.fit(List.of(new ClusterModel.Run(1, 1e6, 10), new ClusterModel.Run(2, 1e6, 6)));
        assertFalse(m.fitsFixedStart());
        // t = u·(a + b/W): a + b = 1e-5, a + b/2 = 6e-6, so a = 2e-6, b = 8e-6; at 4 workers 1e6·(2e-6 + 2e-6) = 4 s
        assertEquals(4, m.predict(4, 1e6).seconds(), 1e-9);
        assertEquals(20, m.predict(1, 2e6).seconds(), 1e-9);
    }

    @Test
    void oneWorkerCountOrABadRunIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClusterModel.fit(List.of(new ClusterModel.Run(2, 1, 1), new ClusterModel.Run(2, 2, 2))));
        assertThrows(IllegalArgumentException.class, () -> ClusterModel.fit(List.of(new ClusterModel.Run(1, 1, Double.NaN), new ClusterModel.Run(2, 2, 2))));
        assertThrows(IllegalArgumentException.class, () -> ClusterModel.fit(List.of(new ClusterModel.Run(1, 1, 1), new ClusterModel.Run(2, 2, 0))));
    }
}

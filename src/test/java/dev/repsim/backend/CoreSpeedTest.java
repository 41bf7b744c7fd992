package dev.repsim.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CoreSpeedTest {

    @Test
    void ratesArePositiveAndBelowAnyCoresPeak() {
        // No lower bound: whether C2 has compiled the kernel after the warm-up depends on the JIT's queue in
        // this test JVM, and interpreted calls run at well under 1 GFLOP/s. The upper bound is physical:
        // two 512-bit FMA pipes at 6 GHz do 192 GFLOP/s in float64, so a figure above 200 is a wrong count.
        double g = CoreSpeed.gflops(500, 3, 50);
        assertTrue(g > 0 && g < 200, "GFLOP/s " + g);
    }

    @Test
    void refusesEmptyMeasurements() {
        assertThrows(IllegalArgumentException.class, () -> CoreSpeed.gflops(0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> CoreSpeed.gflops(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> CoreSpeed.gflops(-1, 1, 10));
    }
}

package dev.repsim.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The probe's arguments. Its rate is a timing, read where it is used (run-cpu.sh's per-core probes, which
 * bench-report compares), never asserted in a unit test.
 */
class CoreSpeedTest {

    @Test
    void refusesEmptyMeasurements() {
        assertThrows(IllegalArgumentException.class, () -> CoreSpeed.gflops(0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> CoreSpeed.gflops(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> CoreSpeed.gflops(-1, 1, 10));
    }
}

package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NoiseTest {

    @Test
    void cellsSpreadingMoreThanTenPercentAreNoisy() {
        // mean 107.5, sd 15: CV 14 %
        assertTrue(Noise.noisy(Summary.of(Samples.of(100, 100, 100, 130))));
        assertFalse(Noise.noisy(Summary.of(Samples.of(100, 101, 99, 100))));
        assertFalse(Noise.noisy(Summary.of(Samples.of(100))), "one sample: spread unknown, not flagged as noisy");
    }

    @Test
    void busyOrStolenMachinesAreNoisy() {
        var quiet = Noise.machine(2, List.of(new Noise.LabelledLoad("at start", 1.23)), Double.NaN, List.of());
        assertFalse(quiet.noisy(), quiet.toString());
        var busy = Noise.machine(2, List.of(new Noise.LabelledLoad("at start", 1.2), new Noise.LabelledLoad("at end", 2.5)), Double.NaN, List.of());
        assertEquals(List.of("load average at end 2.50 > 2 cores"), busy.reasons());
        var stolen = Noise.machine(2, List.of(), 7, List.of());
        assertTrue(stolen.noisy() && stolen.reasons().get(0).startsWith("steal time 7.0 %"), stolen.toString());
        assertFalse(Noise.machine(0, List.of(new Noise.LabelledLoad("at start", 9)), 1, List.of()).noisy(), "cores unknown: load not judged");
    }

    @Test
    void cpusAtUnequalSpeedsAreNoisy() {
        var even = Noise.machine(2, List.of(), Double.NaN, List.of(new Noise.LabelledCoreSpeeds("at start", new double[] {100, 91})));
        assertFalse(even.noisy(), "0.91 of the fastest: " + even);
        var uneven = Noise.machine(2, List.of(), Double.NaN, List.of(
                new Noise.LabelledCoreSpeeds("at start", new double[] {100, 91}), new Noise.LabelledCoreSpeeds("at end", new double[] {80, 100, 99})));
        assertEquals(List.of("CPUs at unequal speeds at end: the slowest at 0.80 of the fastest (80, 100, 99 GFLOP/s)"), uneven.reasons());
        assertFalse(Noise.machine(1, List.of(), Double.NaN, List.of(new Noise.LabelledCoreSpeeds("at start", new double[] {50}))).noisy(),
                "one CPU: nothing to compare");
        assertThrows(IllegalArgumentException.class, () -> new Noise.LabelledCoreSpeeds("at start", new double[] {100, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new Noise.LabelledCoreSpeeds("at start", new double[] {100, 0}));
    }
}

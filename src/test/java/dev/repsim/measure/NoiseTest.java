package dev.repsim.measure;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class NoiseTest {

    @Test
    void cellsSpreadingMoreThanTenPercentAreNoisy() {
        // mean 107.5, sd 15: CV 14 %
        assertTrue(Noise.noisy(Summary.of(Samples.of(100, 100, 100, 130), 1)));
        assertFalse(Noise.noisy(Summary.of(Samples.of(100, 101, 99, 100), 1)));
        assertFalse(Noise.noisy(Summary.of(Samples.of(100), 1)), "one sample: spread unknown, not flagged as noisy");
    }

    @Test
    void busyOrStolenMachinesAreNoisy() {
        var quiet = Noise.machine(2, List.of(new Noise.LabelledLoad("at start", 1.23)), Double.NaN);
        assertFalse(quiet.noisy(), quiet.toString());
        var busy = Noise.machine(2, List.of(new Noise.LabelledLoad("at start", 1.2), new Noise.LabelledLoad("at end", 2.5)), Double.NaN);
        assertEquals(List.of("load average at end 2.50 > 2 cores"), busy.reasons());
        var stolen = Noise.machine(2, List.of(), 7);
        assertTrue(stolen.noisy() && stolen.reasons().get(0).startsWith("steal time 7.0 %"), stolen.toString());
        assertFalse(Noise.machine(0, List.of(new Noise.LabelledLoad("at start", 9)), 1).noisy(), "cores unknown: load not judged");
    }
}

package dev.repsim.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Secondary JMH metric {@code gflop}: each operation adds its nominal flop count (in units of 10⁹,
 * {@link NominalFlops}); JMH divides the sum by the iteration's time, so in throughput mode the
 * secondary score is GFLOP/s. Reported next to the primary score (operations per second) in the JSON.
 */
@AuxCounters(AuxCounters.Type.OPERATIONS)
@State(Scope.Thread)
public class FlopCounter {
    public double gflop;

    @Setup(Level.Iteration)
    public void reset() {
        gflop = 0;
    }
}

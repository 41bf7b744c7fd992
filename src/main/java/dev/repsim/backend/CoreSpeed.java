package dev.repsim.backend;

import java.util.Arrays;

/**
 * The rate of the java backend's float64 GEMM micro-kernel on the calling thread, its packed operands in
 * the cache (one Â block in L2, each B̂ micro-panel in L1, one C tile): the compute rate a product's
 * inner loop reaches on this CPU, without memory traffic. Run pinned to each CPU in turn
 * (benchmarks/run-cpu.sh does, with taskset) it shows the CPUs of one virtual machine running at
 * different speeds. On a cloud host a vCPU whose SMT sibling runs another guest's work is slower, and
 * /proc/stat's steal time does not see it. On the Zen 5 VM, with no steal time, one vCPU ran this
 * kernel at 0.79 of the other's rate, the float32 one at 0.82, a scalar loop at 0.57 and pure FMA
 * chains at 0.95 (results/cpu-zen5-2c/extra/paired-f32/): a micro-kernel shows what a product feels.
 * A product split evenly between threads then runs at the slow CPU's pace.
 */
public final class CoreSpeed {
    private CoreSpeed() {}

    /**
     * Untimed run before the rounds: C2 compiles the micro-kernel after about a second of interpreted
     * calls (Zen 5, a fresh JVM), which run at a few thousandths of the compiled rate.
     */
    public static final long WARMUP_MILLIS = 2500;

    /**
     * GFLOP/s of the micro-kernel on this thread: the median of {@code rounds} timed rounds of about
     * {@code roundMillis} each, after {@code warmupMillis} of untimed calls.
     */
    public static double gflops(long warmupMillis, int rounds, long roundMillis) {
        if (warmupMillis < 0 || rounds < 1 || roundMillis < 1) {
            throw new IllegalArgumentException("need warmupMillis >= 0, rounds >= 1 and roundMillis >= 1, got "
                    + warmupMillis + ", " + rounds + ", " + roundMillis);
        }
        int kc = DoublePackedKernel.KC, mr = DoublePackedKernel.MR, nr = DoublePackedKernel.NR;
        int panelsA = DoublePackedKernel.MC / mr, panelsB = 4;
        double[] pa = new double[panelsA * mr * kc], pb = new double[panelsB * nr * kc], c = new double[mr * nr];
        // Values near 1/kc keep every sum of kc products near 1, far from overflow however often C is updated.
        for (int i = 0; i < pa.length; i++) pa[i] = 1.0 / kc + i % 7 * 1e-3 / kc;
        for (int i = 0; i < pb.length; i++) pb[i] = 1.0 - i % 5 * 1e-3;
        double flopsPerPass = 2.0 * mr * nr * kc * panelsA * panelsB;
        double[] rates = new double[rounds];
        for (int r = -1; r < rounds; r++) {
            long length = r < 0 ? warmupMillis : roundMillis;
            long passes = 0, t0 = System.nanoTime(), t;
            do {
                for (int jp = 0; jp < panelsB; jp++) {
                    for (int ip = 0; ip < panelsA; ip++) {
                        // A fresh tile each time (out = C, read from a zero tile): C stays bounded.
                        DoublePackedKernel.micro(kc, pa, ip * kc * mr, pb, jp * kc * nr, ZERO_TILE, 0, c, 0, nr);
                    }
                }
                passes++;
                t = System.nanoTime();
            } while (t - t0 < length * 1_000_000);
            if (!Double.isFinite(c[0])) throw new ArithmeticException("micro-kernel produced " + c[0]);
            if (r >= 0) rates[r] = flopsPerPass * passes / (t - t0);
        }
        Arrays.sort(rates);
        return rates[rounds / 2];
    }

    private static final double[] ZERO_TILE = new double[DoublePackedKernel.MR * DoublePackedKernel.NR];
}

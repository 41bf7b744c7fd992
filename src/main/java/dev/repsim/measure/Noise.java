package dev.repsim.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Flags measurements not to be read at face value: a cell whose samples spread more than 10 % (CV), and a
 * machine that was busy while it measured (load average above its core count: the benchmark shared its
 * cores), whose hypervisor took CPU time away (steal time), or whose CPUs ran the same kernel at unequal
 * speeds (a vCPU slowed by its host, which steal time does not show: multi-threaded cells then run at the
 * slow CPU's pace).
 */
public final class Noise {
    private Noise() {}

    public static final double CV_LIMIT = 0.10;
    /** Steal time above this share of CPU time (percent) marks a run as noisy. */
    public static final double STEAL_LIMIT_PERCENT = 5.0;
    /** The slowest CPU below this fraction of the fastest one's kernel rate marks a run as noisy. */
    public static final double CORE_SPEED_LIMIT = 0.9;

    public static boolean noisy(Summary s) {
        return s.cv() > CV_LIMIT;
    }

    /** Why a machine's run is noisy; empty when nothing recorded says so. */
    public record MachineNoise(List<String> reasons) {
        public MachineNoise {
            reasons = List.copyOf(reasons);
        }

        public boolean noisy() {
            return !reasons.isEmpty();
        }
    }

    /**
     * @param cores        the machine's cores (0 when unknown: the load average is then not judged)
     * @param loadAverages recorded 1-minute load averages, each with its label (e.g. "at start")
     * @param stealPercent recorded steal time in percent of CPU time, NaN when not recorded
     * @param coreSpeeds   recorded per-CPU kernel rates, each set with its label (e.g. "at start")
     */
    public static MachineNoise machine(int cores, List<LabelledLoad> loadAverages, double stealPercent,
                                       List<LabelledCoreSpeeds> coreSpeeds) {
        List<String> reasons = new ArrayList<>();
        if (cores > 0) {
            for (LabelledLoad l : loadAverages) {
                if (l.load() > cores) reasons.add(String.format(Locale.ROOT, "load average %s %.2f > %d cores", l.label(), l.load(), cores));
            }
        }
        if (stealPercent > STEAL_LIMIT_PERCENT) {
            reasons.add(String.format(Locale.ROOT, "steal time %.1f %% > %.0f %%", stealPercent, STEAL_LIMIT_PERCENT));
        }
        for (LabelledCoreSpeeds s : coreSpeeds) {
            double[] rates = s.gflops();
            double slowest = Double.POSITIVE_INFINITY, fastest = 0;
            for (double g : rates) {
                slowest = Math.min(slowest, g);
                fastest = Math.max(fastest, g);
            }
            if (rates.length > 1 && slowest < CORE_SPEED_LIMIT * fastest) {
                reasons.add(String.format(Locale.ROOT, "CPUs at unequal speeds %s: the slowest at %.2f of the fastest (%s GFLOP/s)",
                        s.label(), slowest / fastest, s.rates()));
            }
        }
        return new MachineNoise(reasons);
    }

    public record LabelledLoad(String label, double load) {}

    /** One measurement of every CPU's kernel rate (GFLOP/s, positive and finite). */
    public record LabelledCoreSpeeds(String label, double[] gflops) {
        public LabelledCoreSpeeds {
            gflops = gflops.clone();
            for (double g : gflops) {
                if (!(g > 0) || !Double.isFinite(g)) throw new IllegalArgumentException("core speeds " + label + ": rate " + g + " is not a positive number");
            }
        }

        @Override
        public double[] gflops() {
            return gflops.clone();
        }

        String rates() {
            StringBuilder b = new StringBuilder();
            for (double g : gflops) b.append(b.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", g));
            return b.toString();
        }
    }
}

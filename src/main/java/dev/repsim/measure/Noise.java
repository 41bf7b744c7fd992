package dev.repsim.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Flags measurements not to be read at face value: a cell whose samples spread more than 10 % (CV), and a
 * machine that was busy while it measured (load average above its core count: the benchmark shared its
 * cores) or whose hypervisor took CPU time away (steal time).
 */
public final class Noise {
    private Noise() {}

    public static final double CV_LIMIT = 0.10;
    /** Steal time above this share of CPU time (percent) marks a run as noisy. */
    public static final double STEAL_LIMIT_PERCENT = 5.0;

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
     */
    public static MachineNoise machine(int cores, List<LabelledLoad> loadAverages, double stealPercent) {
        List<String> reasons = new ArrayList<>();
        if (cores > 0) {
            for (LabelledLoad l : loadAverages) {
                if (l.load() > cores) reasons.add(String.format(Locale.ROOT, "load average %s %.2f > %d cores", l.label(), l.load(), cores));
            }
        }
        if (stealPercent > STEAL_LIMIT_PERCENT) {
            reasons.add(String.format(Locale.ROOT, "steal time %.1f %% > %.0f %%", stealPercent, STEAL_LIMIT_PERCENT));
        }
        return new MachineNoise(reasons);
    }

    public record LabelledLoad(String label, double load) {}
}

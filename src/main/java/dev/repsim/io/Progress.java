package dev.repsim.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr for long work: items done of total, rate, and time left. Redrawn in place
 * on a terminal (at most 4 times a second); elsewhere (logs, CI) a line every 10 seconds and a final
 * line when the work is done, so even a short stage leaves one line in a log.
 */
public final class Progress implements AutoCloseable {
    private final String label;
    private final String unit;
    private final long total;
    private final PrintStream out;
    private final boolean tty;
    private final long start = System.nanoTime();
    private long lastPrint;
    private long done;
    private boolean printed;

    public Progress(String label, long total, String unit) {
        this(label, total, unit, System.err, System.console() != null);
    }

    Progress(String label, long total, String unit, PrintStream out, boolean tty) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.tty = tty;
        this.lastPrint = start;
    }

    /** Sets the number of items done so far. */
    public synchronized void update(long doneSoFar) {
        this.done = doneSoFar;
        long now = System.nanoTime();
        long gap = tty ? 250_000_000L : 10_000_000_000L;
        if (now - lastPrint >= gap) {
            lastPrint = now;
            print(false);
        }
    }

    public synchronized void step() { update(done + 1); }

    /** Counts {@code n} more items done. */
    public synchronized void advance(long n) { update(done + n); }

    /** A progress that reports nothing (library callers, tests, benchmarks). */
    public static Progress silent() {
        return new Progress("", 0, "", new PrintStream(java.io.OutputStream.nullOutputStream()), false);
    }

    /** The progress line as it would be printed now. */
    public synchronized String line() {
        double secs = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        double rate = done / secs;
        String left = rate > 0 && total > 0 ? duration((total - done) / rate) : "?";
        String pct = total > 0 ? String.format(Locale.ROOT, " (%.0f%%)", 100.0 * done / total) : "";
        return String.format(Locale.ROOT, "%s: %d/%d %s%s, %s %s/s, %s left, %s elapsed",
                label, done, total, unit, pct, rate >= 100 ? String.format(Locale.ROOT, "%.0f", rate)
                        : String.format(Locale.ROOT, "%.2f", rate), unit, left, duration(secs));
    }

    private void print(boolean last) {
        printed = true;
        if (tty) out.print("\r\033[K" + line() + (last ? "\n" : ""));
        else out.println(line());
        out.flush();
    }

    static String duration(double secs) {
        long s = Math.round(secs);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    /**
     * Prints the final line if any progress was shown; off a terminal also when the work finished (so
     * short stages leave one line in a log, while work stopped by an error leaves only the error).
     */
    @Override
    public synchronized void close() {
        if (printed || (!tty && total > 0 && done >= total)) print(true);
    }
}

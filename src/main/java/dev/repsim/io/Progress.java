package dev.repsim.io;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress line on stderr for long work: items done of the total, rate and estimated time left. On a
 * terminal the line is redrawn in place at most 5 times a second; otherwise (a log file) a line is
 * printed every 10 seconds. {@link #silent()} reports nothing (library callers, tests).
 */
public class Progress {
    private final String label;
    private final String unit;
    private long total;
    private final PrintStream out;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private long done;
    private long skipped;
    private long lastPrint;

    public Progress(String label, String unit, long total, PrintStream out) {
        this.label = label;
        this.unit = unit;
        this.total = total;
        this.out = out;
        this.terminal = System.console() != null;
    }

    /** Progress on {@code System.err}. */
    public static Progress stderr(String label, String unit, long total) {
        return new Progress(label, unit, total, System.err);
    }

    public static Progress silent() {
        return new Progress("", "", 0, null) {
            @Override public synchronized void advance(long n) {}
            @Override public synchronized void finish() {}
        };
    }

    /** Sets the number of items, once known. */
    public synchronized void total(long n) {
        total = n;
    }

    /** Counts {@code n} more items done (computed or taken from a cache). */
    public synchronized void advance(long n) {
        done += n;
        long now = System.nanoTime();
        long gap = terminal ? 200_000_000L : 10_000_000_000L;
        if (now - lastPrint >= gap) {
            lastPrint = now;
            print(false);
        }
    }

    /** Counts items that were skipped (they still count towards the total). */
    public synchronized void skip(long n) {
        skipped += n;
        advance(n);
    }

    /** Prints the final line. */
    public synchronized void finish() {
        print(true);
    }

    private void print(boolean last) {
        double secs = (System.nanoTime() - start) / 1e9;
        double rate = secs > 0 ? done / secs : 0;
        String eta = rate > 0 && done < total ? time((total - done) / rate) : last ? "done in " + time(secs) : "--";
        String line = String.format(Locale.ROOT, "%s %d/%d %s  %.1f %s/s  %s%s", label, done, total, unit, rate, unit,
                done < total || !last ? "ETA " + eta : eta, skipped > 0 ? "  (" + skipped + " skipped)" : "");
        if (terminal) {
            out.print("\r" + line + "   " + (last ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String time(double s) {
        long t = Math.round(s);
        if (t >= 3600) return String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60);
        if (t >= 60) return String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
        return t + "s";
    }
}

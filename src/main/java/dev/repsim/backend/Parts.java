package dev.repsim.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.function.IntConsumer;

/**
 * Runs body(0) … body(parts − 1) on a pool and waits for all of them: the one fork-join of the java
 * kernels that split their work into fixed parts (the parts, not the threads, decide what each result
 * depends on, so a kernel whose parts write disjoint outputs gives the same bits at every thread count).
 */
final class Parts {
    private Parts() {}

    /** One part runs on the caller (a null pool needs parts == 1); more are submitted to the pool. */
    static void run(ForkJoinPool pool, int parts, IntConsumer body) {
        if (parts == 1) {
            body.accept(0);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            int part = p;
            tasks.add(pool.submit(() -> body.accept(part)));
        }
        for (ForkJoinTask<?> t : tasks) t.join();
    }

    /** A run [from, to) of the items of part {@code part}. */
    interface Run {
        void accept(int part, int from, int to);
    }

    /** Splits [0, count) into {@code parts} contiguous runs, part p taking [p·count/parts, (p+1)·count/parts). */
    static void runs(ForkJoinPool pool, int parts, int count, Run body) {
        run(pool, parts, p -> body.accept(p, (int) ((long) p * count / parts), (int) ((long) (p + 1) * count / parts)));
    }

    /** Threads for {@code work} multiply-adds split at most {@code maxParts} ways: 1 without a pool or below the threshold. */
    static int threads(ForkJoinPool pool, long work, int maxParts) {
        return pool == null || work < BlockedGemm.PARALLEL_MIN_FMA ? 1 : Math.max(1, Math.min(pool.getParallelism(), maxParts));
    }
}

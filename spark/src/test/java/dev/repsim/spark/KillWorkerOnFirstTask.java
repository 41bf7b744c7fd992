package dev.repsim.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A Spark listener (given as {@code spark.extraListeners}) that kills, with SIGKILL, the worker whose
 * executor is given the job's first task, and records how each task ended. Armed
 * by {@link WorkerLossTest} (the driver runs in the test's JVM).
 */
public final class KillWorkerOnFirstTask extends SparkListener {
    private static volatile StandaloneCluster cluster;
    private static final AtomicBoolean killed = new AtomicBoolean();
    private static final java.util.Queue<String> ends = new java.util.concurrent.ConcurrentLinkedQueue<>();

    static void arm(StandaloneCluster c) {
        killed.set(false);
        ends.clear();
        cluster = c;
    }

    /** Stops acting on later jobs; what happened stays readable. */
    static void disarm() {
        cluster = null;
    }

    static boolean killed() { return killed.get(); }

    @Override
    public void onTaskStart(SparkListenerTaskStart e) {
        StandaloneCluster c = cluster;
        if (c == null || !killed.compareAndSet(false, true)) return;
        try {
            c.killWorkerOf(e.taskInfo().executorId());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        ends.add(e.reason().toString());
    }

    /** Why each task ended, in order (for the test's message). */
    static java.util.List<String> ends() {
        return java.util.List.copyOf(ends);
    }
}

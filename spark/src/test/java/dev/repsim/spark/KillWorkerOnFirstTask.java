package dev.repsim.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Spark listener (given as {@code spark.extraListeners}) that kills, with SIGKILL, the worker whose
 * executor starts the job's first task, while that task runs, and counts the tasks that failed. Armed
 * by {@link WorkerLossTest} (the driver runs in the test's JVM).
 */
public final class KillWorkerOnFirstTask extends SparkListener {
    private static volatile StandaloneCluster cluster;
    private static final AtomicBoolean killed = new AtomicBoolean();
    private static final AtomicInteger failedTasks = new AtomicInteger();

    static void arm(StandaloneCluster c) {
        killed.set(false);
        failedTasks.set(0);
        cluster = c;
    }

    static boolean killed() { return killed.get(); }

    static int failedTasks() { return failedTasks.get(); }

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
        if (e.taskInfo().failed()) failedTasks.incrementAndGet();
    }
}

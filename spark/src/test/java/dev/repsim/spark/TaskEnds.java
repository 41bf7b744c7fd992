package dev.repsim.spark;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A Spark listener (given as {@code spark.extraListeners}, in the test's JVM where the driver runs) that
 * records how every task ended, for tests that assert what Spark did after a failure.
 */
public final class TaskEnds extends SparkListener {
    /** One task's end: its stage, partition, attempt, executor and the reason Spark gives. */
    record End(int stage, int partition, int attempt, String executor, boolean successful, Object reason) {}

    private static final Queue<End> ENDS = new ConcurrentLinkedQueue<>();

    static void clear() {
        ENDS.clear();
    }

    static List<End> all() {
        return List.copyOf(ENDS);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        ENDS.add(new End(e.stageId(), e.taskInfo().partitionId(), e.taskInfo().attemptNumber(), e.taskInfo().executorId(),
                e.taskInfo().successful(), e.reason()));
    }
}

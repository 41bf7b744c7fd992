package dev.repsim.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

import java.util.Map;

/**
 * A Spark plugin (given as {@code spark.plugins}) for {@link WorkerLossTest}: on an executor of a standalone
 * cluster, as the first attempt of partition {@value #PARTITION} of the session's first stage starts
 * (before the task's body runs), it kills its worker (SIGKILL: a machine that fails) and ends its own JVM at
 * once. The task is therefore lost mid-run, on whichever executor it was given, whatever the timing.
 */
public final class KillOwnWorker implements SparkPlugin {
    /** The partition whose first attempt is lost (of 4 in the test). */
    static final int PARTITION = 1;

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                // Only an executor a worker started may act: on a local master the executor is the driver, whose
                // parent is the test's build tool.
                ProcessHandle parent = ProcessHandle.current().parent().orElseThrow(() -> new IllegalStateException("executor has no parent process"));
                if (ctx.executorID().equals("driver") || !parent.info().command().orElse("").endsWith("/java")) {
                    throw new IllegalStateException("KillOwnWorker: executor " + ctx.executorID() + " was not started by a standalone worker (a java process)");
                }
            }

            @Override
            public void onTaskStart() {
                TaskContext t = TaskContext.get();
                if (t == null) throw new IllegalStateException("KillOwnWorker: no TaskContext in onTaskStart");
                if (t.stageId() != 0 || t.stageAttemptNumber() != 0 || t.attemptNumber() != 0 || t.partitionId() != PARTITION) return;
                ProcessHandle worker = ProcessHandle.current().parent().orElseThrow();
                worker.destroyForcibly();
                // The worker is gone before its executor: a machine lost, not an executor that exits.
                worker.onExit().join();
                Runtime.getRuntime().halt(137);
            }
        };
    }
}

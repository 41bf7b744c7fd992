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
 * once. The task is therefore lost mid-run, on whichever executor it was given, whatever the timing. It
 * acts once per marker file ({@value #ONCE}): a command's later sessions (a study's neighbour job after
 * its embedding job) keep their workers.
 */
public final class KillOwnWorker implements SparkPlugin {
    /** The partition whose first attempt is lost (of 4 in the test). */
    static final int PARTITION = 1;
    /** The setting naming the file whose creation marks the one kill. */
    static final String ONCE = "spark.repsim.test.killOnceMarker";

    @Override
    public DriverPlugin driverPlugin() {
        return null;
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            private java.nio.file.Path marker;

            @Override
            public void init(PluginContext ctx, Map<String, String> extraConf) {
                marker = java.nio.file.Path.of(ctx.conf().get(ONCE));
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
                try {
                    java.nio.file.Files.createFile(marker);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    return; // an earlier session's task was lost already
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                ProcessHandle worker = ProcessHandle.current().parent().orElseThrow();
                worker.destroyForcibly();
                // The worker is gone before its executor: a machine lost, not an executor that exits.
                worker.onExit().join();
                Runtime.getRuntime().halt(137);
            }
        };
    }
}

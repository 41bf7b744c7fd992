package dev.repsim.spark;

import dev.repsim.backend.BlasBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.util.List;
import java.util.Map;

/** Starts the Spark session of one command: the given master and settings over repsim's defaults. */
final class Sessions {
    private Sessions() {}

    /**
     * The JVM flags every repsim JVM on Spark needs (the Vector API, native access, and those Spark's
     * launcher adds on Java 17+), from the @argument file {@code jvm.args} beside this class, which
     * bin/repsim and the module's tests use as it is. Executors get them through
     * {@code spark.executor.extraJavaOptions}.
     */
    static final List<String> JVM_FLAGS = readFlags();

    private static List<String> readFlags() {
        try (java.io.InputStream in = Sessions.class.getResourceAsStream("jvm.args")) {
            if (in == null) throw new IllegalStateException("jvm.args is missing beside " + Sessions.class.getName());
            String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return text.lines().map(l -> l.replaceFirst("#.*$", "").strip()).filter(l -> !l.isEmpty()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A session on {@code master}. A local master binds to 127.0.0.1 (no network needed). For a cluster,
     * unless {@code spark.jars} or {@code spark.executor.extraClassPath} is given, executors get this JVM's
     * class path: right for a cluster that sees this checkout at the same path (workers on this machine
     * or a shared install); elsewhere submit with {@code spark-submit --jars} (docs/spark.md).
     */
    static SparkSession start(String master, Map<String, String> settings) {
        SparkConf c = new SparkConf().setAppName("repsim").setMaster(master)
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.executor.extraJavaOptions", String.join(" ", JVM_FLAGS));
        if (master.startsWith("local")) {
            c.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        } else if (!c.contains("spark.jars") && !c.contains("spark.executor.extraClassPath")
                && !settings.containsKey("spark.jars") && !settings.containsKey("spark.executor.extraClassPath")) {
            c.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        settings.forEach(c::set);
        // A local master's tasks run in this JVM and set OpenBLAS's process-wide threads to their own cores
        // (TaskBackend): stop() gives the driver's later work its count back.
        if (master.startsWith("local") && BlasBackend.isAvailable()) driverBlasThreads = BlasBackend.threads();
        return SparkSession.builder().config(c).getOrCreate();
    }

    private static volatile int driverBlasThreads;

    /** Stops the session (and, after a local master, restores OpenBLAS's threads for the driver's own work). */
    static void stop(SparkSession s) {
        s.stop();
        int t = driverBlasThreads;
        if (t > 0) {
            BlasBackend.open(t);
            driverBlasThreads = 0;
        }
    }

    /** Executors that ran the job: the driver itself on a local master. */
    static int executors(SparkSession s) {
        int all = s.sparkContext().statusTracker().getExecutorInfos().length;
        return s.sparkContext().isLocal() ? 1 : Math.max(0, all - 1);
    }
}

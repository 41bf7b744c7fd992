package dev.repsim.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on this machine, bound to 127.0.0.1: a master and workers started as
 * processes from Spark's own classes (org.apache.spark.deploy.master.Master, ...worker.Worker) on this
 * JVM's class path, each worker with one core and a small memory. Spark's home is an empty folder with
 * the {@code jars/} its launcher looks for: executors get their class path from the application
 * ({@code spark.executor.extraClassPath}, which repsim sets to the driver's). The module's tests and
 * {@link CkaBenchmark} / {@link EmbedBenchmark} ({@code standalone[N]} masters) use it.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://\\S+)");
    private static final long START_SECONDS = 120;

    private final Process master;
    private final List<Process> workers = new ArrayList<>();
    private final String url;

    private StandaloneCluster(Process master, String url) {
        this.master = master;
        this.url = url;
    }

    /** Starts the master and {@code workers} workers of one core and 640 MiB and waits until each has registered. */
    static StandaloneCluster start(Path scratch, int workers) throws Exception {
        return start(scratch, workers, "640m");
    }

    /** As {@link #start(Path, int)}, each worker offering {@code memory} (e.g. {@code 2g}) to its executor. */
    static StandaloneCluster start(Path scratch, int workers, String memory) throws Exception {
        Path home = Files.createDirectories(scratch.resolve("spark-home"));
        Files.createDirectories(home.resolve("jars"));
        Path log = home.resolve("log4j2.properties");
        Files.writeString(log, """
                rootLogger.level = warn
                rootLogger.appenderRef.stderr.ref = stderr
                appender.stderr.type = Console
                appender.stderr.name = stderr
                appender.stderr.target = SYSTEM_ERR
                appender.stderr.layout.type = PatternLayout
                appender.stderr.layout.pattern = %p %c{1}: %m%n
                logger.master.name = org.apache.spark.deploy.master.Master
                logger.master.level = info
                logger.worker.name = org.apache.spark.deploy.worker.Worker
                logger.worker.level = info
                """);
        Process m = launch(home, log, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
        StandaloneCluster c;
        try {
            Matcher url = await(m, MASTER_URL, "master");
            c = new StandaloneCluster(m, url.group(1));
        } catch (Exception e) {
            m.destroyForcibly();
            throw e;
        }
        try {
            for (int i = 0; i < workers; i++) {
                Path work = Files.createDirectories(scratch.resolve("worker-" + i));
                Process w = launch(home, log, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
                        "--webui-port", "0", "--cores", "1", "--memory", memory, "--work-dir", work.toString(), c.url);
                c.workers.add(w);
                await(w, Pattern.compile("Successfully registered with master"), "worker " + i);
            }
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    String url() { return url; }

    int workers() { return workers.size(); }

    /** The settings an application on this cluster needs, as {@code --spark-conf} options (executors of 512 MiB). */
    List<String> sparkConf() {
        List<String> a = new ArrayList<>();
        settings("512m").forEach((k, v) -> a.addAll(List.of("--spark-conf", k + "=" + v)));
        return a;
    }

    /** The driver on 127.0.0.1, one executor of one core and {@code executorMemory} per worker, all of them up before any task. */
    Map<String, String> settings(String executorMemory) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spark.driver.host", "127.0.0.1");
        s.put("spark.driver.bindAddress", "127.0.0.1");
        s.put("spark.executor.memory", executorMemory);
        s.put("spark.executor.cores", "1");
        s.put("spark.cores.max", String.valueOf(workers.size()));
        s.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        s.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s");
        return s;
    }

    private static Process launch(Path home, Path log, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        cmd.addAll(Sessions.JVM_FLAGS);
        cmd.addAll(List.of("-Dlog4j2.configurationFile=" + log.toUri(), "-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    /** Reads the process's output until a line matches (then drains the rest in the background). */
    private static Matcher await(Process p, Pattern pattern, String what) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuffer seen = new StringBuffer();
        CompletableFuture<Matcher> found = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    Matcher m = pattern.matcher(line);
                    if (m.find()) return m;
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        Matcher m;
        try {
            m = found.get(START_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            m = null;
        }
        if (m == null) throw new IllegalStateException(what + " did not start within " + START_SECONDS + " s; its output:\n" + seen);
        Thread drain = new Thread(() -> {
            try {
                while (r.readLine() != null) { /* keep the pipe from filling */ }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "drain " + what);
        drain.setDaemon(true);
        drain.start();
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : all) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}

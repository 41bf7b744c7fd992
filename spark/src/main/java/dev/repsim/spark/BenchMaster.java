package dev.repsim.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A master for the module's benchmarks: a Spark master URL as given ({@code local[2]},
 * {@code spark://host:7077}), or {@code standalone[N]}: a standalone cluster of N one-core workers
 * started on this machine for the run ({@link StandaloneCluster}) and stopped after it.
 */
final class BenchMaster implements AutoCloseable {
    private static final Pattern STANDALONE = Pattern.compile("standalone\\[(\\d+)]");

    /**
     * The executors' heap touched at start and a young generation of 1 GiB: a block's arrays (tens of MB)
     * then land in memory already mapped. Without it each fresh 4 KiB page costs a fault (about 20 µs on
     * this VM) and the reduction ran 1.8-2.1x slower (4 M × 256 rows, 1 and 2 workers, one run each).
     */
    static final String EXECUTOR_HEAP = "-XX:+AlwaysPreTouch -Xmn1g";

    private final String spec;
    private final String url;
    private final Map<String, String> conf;
    private final StandaloneCluster cluster;
    private final Path scratch;

    private BenchMaster(String spec, String url, Map<String, String> conf, StandaloneCluster cluster, Path scratch) {
        this.spec = spec;
        this.url = url;
        this.conf = conf;
        this.cluster = cluster;
        this.scratch = scratch;
    }

    /** @param executorMemory each standalone worker's executor memory, e.g. {@code 2g} */
    static BenchMaster open(String spec, String executorMemory) throws Exception {
        Matcher m = STANDALONE.matcher(spec);
        if (!m.matches()) return new BenchMaster(spec, spec, Map.of(), null, null);
        int workers = Integer.parseInt(m.group(1));
        if (workers < 1) throw new IllegalArgumentException(spec + ": at least one worker");
        Path scratch = Files.createTempDirectory("repsim-bench-cluster-");
        StandaloneCluster c = StandaloneCluster.start(scratch, workers, executorMemory);
        Map<String, String> conf = new java.util.LinkedHashMap<>(c.settings(executorMemory));
        conf.put("spark.executor.extraJavaOptions", String.join(" ", Sessions.JVM_FLAGS) + " " + EXECUTOR_HEAP);
        return new BenchMaster(spec, c.url(), conf, c, scratch);
    }

    /** The master as the user wrote it (the benchmark's label). */
    String spec() { return spec; }

    String url() { return url; }

    /** Workers started for the run (0 for a master given as a URL, local ones included). */
    int workers() { return cluster == null ? 0 : cluster.workers(); }

    /** Settings the application needs on this master (none for a given URL). */
    Map<String, String> conf() { return conf; }

    @Override
    public void close() throws Exception {
        if (cluster == null) return;
        cluster.close();
        dev.repsim.io.StagedFolder.deleteTree(scratch);
    }
}

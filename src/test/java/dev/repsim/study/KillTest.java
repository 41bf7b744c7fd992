package dev.repsim.study;

import dev.repsim.cli.CliRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.repsim.cli.Main;
import dev.repsim.io.OutputLock;
import dev.repsim.onnx.TinyModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code variants}, {@code embed} and {@code study} processes killed with SIGKILL at points a seeded
 * RNG picks (as bytes written so far: the run's progress on disk), twice in a row on the same output;
 * then a run completes, and its outputs equal an uninterrupted run's byte for byte (a study's date and
 * stage times aside) with no temporary file left anywhere. Wherever a kill lands, that must hold.
 */
class KillTest {
    private static final long SEED = 20261203;
    private static final int KILLS_PER_CHAIN = 2;

    @TempDir
    Path dir;

    /** A command of the test: its arguments for an output folder, and the folder its files go to. */
    private record Command(String name, Function<Path, String[]> args) {}

    @Test
    void killedRunsResumeToTheSameOutputs() throws Exception {
        StudyPipelineTest.images(dir, 6);
        Path model = dir.resolve("cnn.onnx");
        Files.write(model, TinyModel.create("tiny-cnn", 0).toOnnx());
        String images = dir.resolve("images").toString(), masks = dir.resolve("masks").toString();
        Command variants = new Command("variants", out -> new String[]{"variants", "--images", images, "--masks", masks,
                "--out", out.toString(), "--fill", "noise", "--threads", "2"});
        Command embed = new Command("embed", out -> new String[]{"embed", "--model", model.toString(), "--preset", "swav",
                "--images", images, "--out", out.resolve("e.npy").toString(), "--batch", "2", "--threads", "1", "--decode-threads", "1"});
        Path study = dir.resolve("study.yaml");
        Command studyCmd = new Command("study", out -> {
            try {
                return new String[]{"study", StudyPipelineTest.shapesStudy(study, out, 2, 3).toString()};
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });

        SplittableRandom rnd = new SplittableRandom(SEED);
        int kills = 0, landed = 0;
        for (var c : List.of(Map.entry(variants, 4), Map.entry(embed, 3), Map.entry(studyCmd, 4))) {
            Command cmd = c.getKey();
            Path refOut = dir.resolve(cmd.name() + "-ref");
            assertEquals(0, run(cmd.args().apply(refOut)), cmd.name() + " reference run");
            Map<String, byte[]> ref = outputs(refOut);
            long refBytes = bytes(refOut);
            for (int chain = 0; chain < c.getValue(); chain++) {
                Path out = dir.resolve(cmd.name() + "-" + chain);
                for (int k = 0; k < KILLS_PER_CHAIN; k++) {
                    long now = bytes(out);
                    long at = now + rnd.nextLong(0, Math.max(1, refBytes - now) + 1);
                    kills++;
                    if (killAt(cmd.args().apply(out), out, at)) landed++;
                }
                assertEquals(0, run(cmd.args().apply(out)), cmd.name() + " after kills, chain " + chain);
                Map<String, byte[]> got = outputs(out);
                assertEquals(ref.keySet(), got.keySet(), cmd.name() + " chain " + chain);
                for (String f : ref.keySet()) assertArrayEquals(ref.get(f), got.get(f), cmd.name() + " chain " + chain + ": " + f);
                noTemporaryFiles(out);
            }
        }
        assertTrue(kills >= 20, kills + " kill points");
        System.out.println("KillTest: " + kills + " kill points, " + landed + " killed a running process");
    }

    /** Runs the command line in this JVM, its stderr discarded; returns the exit status. */
    private static int run(String[] args) {
        return CliRun.of(args).status();
    }

    /**
     * Starts the command in a child JVM and kills it with SIGKILL once {@code folder} holds
     * {@code at} bytes; true if it was still running then.
     */
    private boolean killAt(String[] args, Path folder, long at) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-modules") || a.startsWith("--enable-native-access") || a.startsWith("--sun-misc")) cmd.add(a);
        }
        cmd.addAll(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            while (p.isAlive() && bytes(folder) < at) Thread.sleep(5);
            boolean alive = p.isAlive();
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            return alive;
        } finally {
            p.destroyForcibly();
        }
    }

    /** Bytes of every file under a folder (temporary files included: they are progress too). */
    private static long bytes(Path root) {
        if (!Files.isDirectory(root)) return 0;
        long total = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                try {
                    if (Files.isRegularFile(p)) total += Files.size(p);
                } catch (java.io.IOException gone) {
                    // renamed or deleted while walking
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException gone) {
            // a folder vanished while walking: count again on the next poll
        }
        return total;
    }

    /**
     * The outputs a run promises, by relative path: everything but the cache (its shards record the
     * history of runs) and the lock file; a study's date and stage times are taken out.
     */
    private static Map<String, byte[]> outputs(Path root) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (rel.startsWith(".repsim-cache/") || rel.equals(OutputLock.FILE)) continue;
                byte[] b = Files.readAllBytes(p);
                if (rel.equals("results.json")) {
                    ObjectMapper json = new ObjectMapper();
                    ObjectNode r = (ObjectNode) json.readTree(b);
                    assertNotNull(r.remove("generated"));
                    assertNotNull(r.remove("stageSeconds"));
                    b = json.writeValueAsBytes(r);
                } else if (rel.equals("report.html")) {
                    b = new String(b, StandardCharsets.UTF_8).replaceAll("(?m)^<tr><th>(time: [^<]*|generated)</th><td>[^<]*</td></tr>\n", "")
                            .getBytes(StandardCharsets.UTF_8);
                }
                m.put(rel, b);
            }
        }
        return m;
    }

    private static void noTemporaryFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "temporary files left");
        }
    }
}

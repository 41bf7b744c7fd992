package dev.repsim.study;

import dev.repsim.cli.Main;
import dev.repsim.io.OutputLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Two studies on one output folder: while another process holds the folder's lock, a study refuses at
 * once (exit 2, one line naming the lock file) and touches nothing; once that process is killed, its
 * lock is gone and the next study runs.
 */
class StudyLockTest {
    @TempDir
    Path dir;

    /** Child process: locks the folder given, says so, and holds the lock until killed. */
    public static void main(String[] args) throws Exception {
        OutputLock lock = OutputLock.acquire(Path.of(args[0]));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
        lock.close();
    }

    @Test
    void aSecondRunOnTheSameOutputRefusesAndALockOfADeadProcessDoesNotBlock() throws Exception {
        StudyFixture f = new StudyFixture(dir, 30);
        Path study = f.studyFile("");
        Path out = dir.resolve("out");
        assertEquals(0, Main.execute("study", study.toString()));
        Map<String, String> before = snapshot(out);

        String java = ProcessHandle.current().info().command().orElseThrow();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StudyLockTest.class.getName(),
                out.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine(), "the lock holder did not start");

            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream old = System.err;
            int rc;
            long t0 = System.nanoTime();
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                rc = Main.execute("study", study.toString());
            } finally {
                System.setErr(old);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
            assertEquals(2, rc, lines.toString());
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.getFirst().contains(out.resolve(OutputLock.FILE).toString()), lines.getFirst());
            assertTrue(lines.getFirst().contains("another run"), lines.getFirst());
            // The holder never lets go, so a run that waited for the lock would never return: a bound far
            // above any machine's start-up time tells refusing from waiting without timing the machine.
            assertTrue(seconds < 120, "refused only after " + seconds + " s");
            assertEquals(before, snapshot(out), "the refused run changed the output folder");
        } finally {
            holder.destroyForcibly().waitFor();
        }
        // the holder died with its lock: the next run is not blocked
        assertEquals(0, Main.execute("study", study.toString()));
        assertTrue(Files.isRegularFile(out.resolve("report.html")));
    }

    /** Every file under the folder with its size and content hash. */
    private static Map<String, String> snapshot(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                m.put(root.relativize(p).toString(), b.length + " " + java.util.Arrays.hashCode(b) + " " + Files.getLastModifiedTime(p));
            }
        }
        return m;
    }
}

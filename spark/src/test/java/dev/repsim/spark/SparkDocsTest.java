package dev.repsim.spark;

import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code --spark local[...]} metrics examples of docs/spark.md run as written, on X.npy and Y.npy
 * made here (the core's ReadmeExamplesTest only parses {@code --spark} lines: the core never loads
 * Spark). The study example is the demo study, run by {@link SparkStudyTest}; cluster lines need a cluster.
 */
class SparkDocsTest {
    @TempDir
    Path dir;

    @Test
    void localMetricsExamplesRun() throws Exception {
        Matrix x = Fixtures.x();
        Npy.write(dir.resolve("X.npy"), x);
        Npy.write(dir.resolve("Y.npy"), Fixtures.y(x));
        List<String> lines = Files.readAllLines(DemoStudy.repo().resolve("docs/spark.md"));
        int ran = 0;
        boolean sh = false;
        for (String line : lines) {
            if (line.startsWith("```")) {
                sh = line.equals("```sh");
                continue;
            }
            if (!sh || !line.startsWith("bin/repsim metrics ") || !line.contains("--spark local[")) continue;
            List<String> args = new ArrayList<>();
            for (String w : line.substring("bin/repsim ".length()).replaceFirst("\\s+#\\s.*$", "").trim().split("\\s+")) {
                args.add(w.endsWith(".npy") ? dir.resolve(w).toString() : w);
            }
            Cli r = Cli.run(args.toArray(String[]::new));
            assertEquals(0, r.status(), line + "\n" + r.err());
            ran++;
        }
        assertTrue(ran >= 2, "found only " + ran + " local metrics examples in docs/spark.md");
    }
}

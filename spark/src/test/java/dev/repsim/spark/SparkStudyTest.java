package dev.repsim.spark;

import dev.repsim.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code repsim study STUDY.yaml --spark local[2]} on the demo study: images partitioned (three
 * partitions, so each task thread runs more than one and shares its sessions), variants and embeddings
 * made in the partitions, written as Parquet and read back, and the neighbour sets found by block pairs
 * (three blocks): the same embeddings and results as the local run. And a study of precomputed
 * embeddings full of ties, whose neighbour analysis alone runs on Spark.
 */
class SparkStudyTest {
    @TempDir
    Path dir;

    @Test
    void demoStudyOnSparkEqualsTheLocalRun() throws Exception {
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        Cli l = Cli.run("study", DemoStudy.file(dir, local).toString());
        assertEquals(0, l.status(), l.err());
        assertFalse(l.err().contains("on Spark"), l.err());
        Cli s = Cli.run("study", DemoStudy.file(dir, spark).toString(), "--spark", "local[2]", "--partitions", "3");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.err().contains("study: embedding on Spark (local[2]): 26 images in 3 partitions, 2 model(s)"), s.err());
        assertTrue(s.err().contains("study: neighbour sets on Spark (local[2]): 130 pooled rows per model in 3 blocks, 6 block pairs"), s.err());
        assertTrue(Files.isDirectory(spark.resolve(SparkStudyEmbedding.TABLE)), "the Parquet table of embeddings");
        DemoStudy.assertSameOutputs(local, spark);
    }

    /**
     * Cosine neighbours of float32 rows of small integers (repeated rows, and in model "copies" every
     * image's three variants identical: ties everywhere, broken by the lower index) in four blocks.
     */
    @Test
    void neighbourAnalysisWithTiesOnSparkEqualsTheLocalRun() throws Exception {
        int n = 40;
        for (int i = 0; i < n; i++) {
            Path img = dir.resolve("images").resolve((i % 2 == 0 ? "a/" : "b/") + String.format("img%03d.png", i));
            Files.createDirectories(img.getParent());
            ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", img.toFile());
        }
        List<String> variants = List.of("full", "center", "border");
        for (int v = 0; v < variants.size(); v++) {
            Npy.write(dir.resolve("emb/copies-" + variants.get(v) + ".npy"), Fixtures.tied(n, 4, 5));
            Npy.write(dir.resolve("emb/tied-" + variants.get(v) + ".npy"), Fixtures.tied(n, 4, 6 + v));
        }
        Cli l = Cli.run("study", tiedStudy("local").toString());
        assertEquals(0, l.status(), l.err());
        Cli s = Cli.run("study", tiedStudy("spark").toString(), "--spark", "local[2]", "--partitions", "4");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.err().contains("study: neighbour sets on Spark (local[2]): 120 pooled rows per model in 4 blocks, 10 block pairs"), s.err());
        assertFalse(s.err().contains("study: embedding on Spark"), "precomputed embeddings need no embedding job: " + s.err());
        int leaves = DemoStudy.assertSameResults(dir.resolve("local"), dir.resolve("spark"));
        assertTrue(leaves > 100, "compared only " + leaves + " values");
    }

    private Path tiedStudy(String output) throws Exception {
        StringBuilder models = new StringBuilder();
        for (String m : List.of("copies", "tied")) {
            models.append("  - name: ").append(m).append("\n    embeddings: {");
            models.append(String.join(", ", List.of("full", "center", "border").stream().map(v -> v + ": emb/" + m + "-" + v + ".npy").toList()));
            models.append("}\n");
        }
        Path f = dir.resolve(output + ".yaml");
        Files.writeString(f, """
                name: ties
                output: %s
                datasets:
                  - name: toy
                    images: images
                models:
                %svariants: [full, center, border]
                metrics: [linear-cka]
                backend: java
                precision: f32
                k: 6
                knn-metric: cosine
                umap: {neighbors: 8, epochs: 20}
                """.formatted(output, models));
        return f;
    }
}

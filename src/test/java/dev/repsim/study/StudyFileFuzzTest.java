package dev.repsim.study;

import dev.repsim.fuzz.Fuzz;
import dev.repsim.fuzz.Mutations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/** Mutated study files through {@link StudyLoader}: a checked study or one clear line naming the study file. */
class StudyFileFuzzTest {
    private static final String[] TOKENS = {"&a ", "*a ", "!!binary ", "- ", "? ", "{", "[", "'", "\"", "%YAML 1.1\n", "!!java.lang.Object ",
            "<<: *a\n", "\t", "x: y\n", "null", "~ ", "--- ", "...\n", "  ", "metrics: ", "datasets: [", "@", "`"};

    @Test
    void mutatedStudyFiles(@TempDir Path dir) throws Exception {
        StudyFixture f = new StudyFixture(dir, 12);
        byte[] fixture = Files.readAllBytes(f.studyFile("""
                sigma: 0.8
                seed: 7
                max-pixels: 1000000
                """));
        byte[] builtin = """
                output: out2
                datasets: [{name: toy, images: images, masks: masks, mask-threshold: 0.4}]
                models: [{name: cnn, builtin: tiny-cnn, batch: 4}, {name: vit, builtin: tiny-vit, preset: dinov2}]
                variants: [full, foreground, center, border]
                fill: noise
                radius: 0.6
                metrics: [linear-cka, svcca]
                svcca-keep: 0.9
                precision: f32
                knn-metric: cosine
                k: 3
                umap: {neighbors: 4, epochs: 20, min-dist: 0.2, seed: 3}
                """.getBytes(StandardCharsets.UTF_8);
        // billion laughs: aliases that would expand to millions of nodes
        StringBuilder laughs = new StringBuilder("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 9; i++) {
            laughs.append("a").append(i).append(": &a").append(i).append(" [");
            for (int k = 0; k < 9; k++) laughs.append(k == 0 ? "" : ", ").append("*a").append(i - 1);
            laughs.append("]\n");
        }
        byte[] bomb = (laughs + new String(fixture, StandardCharsets.UTF_8).replace("metrics: [linear-cka, rbf-cka, cca-mean]", "metrics: *a8"))
                .getBytes(StandardCharsets.UTF_8);
        List<byte[]> seeds = List.of(fixture, builtin, bomb);
        Path file = dir.resolve("study.yaml");
        Fuzz.Outcome o = Fuzz.run(file, 31, 400, Duration.ofSeconds(40), (SplittableRandom r) -> {
            byte[] seed = seeds.get(r.nextInt(seeds.size()));
            return switch (r.nextInt(3)) {
                case 0 -> Mutations.text(seed, r);
                case 1 -> Mutations.lines(seed, r, TOKENS);
                default -> Mutations.bytes(seed, r);
            };
        }, StudyLoader::load);
        org.junit.jupiter.api.Assertions.assertTrue(o.valid() > 0, "some mutants are still valid studies: " + o);
    }
}

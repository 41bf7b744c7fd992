package dev.repsim.study;

import dev.repsim.cli.CliRun;
import dev.repsim.cli.Main;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a new user meets: a dataset without masks whose variants need none, and the checks the README
 * promises before any long work (CCA's sample count from the models' widths, model errors naming the
 * study's key), with nothing written when they fail.
 */
class StudyChecksTest {

    /** Runs the CLI and returns {exit status, stderr}. */
    static Object[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new Object[]{r.status(), r.err()};
    }

    @Test
    void aDatasetWithoutMasksRunsTheVariantsThatNeedNone(@TempDir Path dir) throws Exception {
        StudyPipelineTest.images(dir, 6);
        Path study = dir.resolve("study.yaml");
        Files.writeString(study, """
                output: out
                datasets: [{name: shapes, images: images}]
                models: [{name: cnn, builtin: tiny-cnn}]
                variants: [full, center, border]
                metrics: [linear-cka]
                backend: java
                k: 2
                umap: {neighbors: 3, epochs: 10}
                """);
        Object[] r = run("study", study.toString());
        assertEquals(0, r[0], (String) r[1]);
        Path variants = dir.resolve("out/variants/shapes");
        assertTrue(Files.isRegularFile(variants.resolve("center/x/p0.png")));
        assertFalse(Files.exists(variants.resolve("mask")), "no mask folder without masks");
        assertEquals(6, Npy.readMatrix(dir.resolve("out/embeddings/cnn/border.npy")).rows());
    }

    @Test
    void ccaWithTooFewImagesFailsBeforeAnythingIsWritten(@TempDir Path dir) throws Exception {
        StudyPipelineTest.images(dir, 6);
        Path study = dir.resolve("study.yaml");
        // tiny-cnn embeds in 32 features: 6 images are too few for CCA, known from the model's output shape
        Files.writeString(study, """
                output: out
                datasets: [{name: shapes, images: images, masks: masks}]
                models: [{name: cnn, builtin: tiny-cnn}]
                variants: [full, foreground]
                metrics: [linear-cka, cca-mean]
                k: 2
                umap: {neighbors: 3, epochs: 10}
                """);
        Object[] r = run("study", study.toString());
        assertEquals(2, r[0]);
        String err = ((String) r[1]).strip();
        assertTrue(err.startsWith("repsim study: " + study + ": metrics: cca-mean needs more samples than features"), err);
        assertTrue(err.contains("set cca-ridge") && err.contains("32 and 32 features"), err);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void ccaOnPrecomputedEmbeddingsIsCheckedFromTheHeader(@TempDir Path dir) throws Exception {
        StudyPipelineTest.images(dir, 6);
        Npy.write(dir.resolve("full.npy"), Matrix.of(6, 8, new float[48]));
        Path study = dir.resolve("study.yaml");
        Files.writeString(study, """
                output: out
                datasets: [{name: shapes, images: images}]
                models: [{name: other, embeddings: {full: full.npy}}]
                variants: [full]
                metrics: [svcca]
                k: 2
                umap: {neighbors: 3, epochs: 10}
                """);
        Object[] r = run("study", study.toString());
        assertEquals(2, r[0]);
        assertTrue(((String) r[1]).contains("svcca needs more samples than features") && ((String) r[1]).contains("8 and 8 features"), (String) r[1]);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void aModelThatDoesNotFitItsPresetNamesTheStudyKey(@TempDir Path dir) throws Exception {
        StudyPipelineTest.images(dir, 4);
        assertEquals(0, Main.execute("make-model", "tiny-cnn", "--out", dir.resolve("cnn.onnx").toString()));
        Path study = dir.resolve("study.yaml");
        // tiny-cnn's output is 'features'; the dinov2 preset reads 'tokens'
        Files.writeString(study, """
                output: out
                datasets: [{name: shapes, images: images}]
                models: [{name: cnn, onnx: cnn.onnx, preset: dinov2}]
                variants: [full, center]
                metrics: [linear-cka]
                k: 2
                umap: {neighbors: 3, epochs: 10}
                """);
        Object[] r = run("study", study.toString());
        assertEquals(2, r[0]);
        String err = ((String) r[1]).strip();
        assertTrue(err.startsWith("repsim study: " + study + ": models[0].onnx: model 'cnn'"), err);
        assertTrue(err.contains("no output named 'tokens'") && err.contains("models[0].config"), err);
        assertFalse(err.contains("--config"), err);
        assertEquals(1, err.lines().count(), err);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written");
    }

    @Test
    void aStudyStoppedByABadImageRemovesTheOutputFolderItCreatedButNotOneThatExisted(@TempDir Path dir) throws Exception {
        StudyPipelineTest.images(dir, 6);
        Path broken = dir.resolve("images/x/broken.png");
        Files.writeString(broken, "not a PNG");
        Path study = dir.resolve("study.yaml");
        Files.writeString(study, """
                output: out
                datasets: [{name: shapes, images: images}]
                models: [{name: cnn, builtin: tiny-cnn}]
                variants: [full, center]
                metrics: [linear-cka]
                backend: java
                k: 2
                umap: {neighbors: 3, epochs: 10}
                """);
        Object[] r = run("study", study.toString());
        assertEquals(2, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains(broken.toString()), (String) r[1]);
        assertFalse(Files.exists(dir.resolve("out")), "the failed run left its output folder behind");

        // a folder the user made stays, with what was in it
        Path mine = Files.createDirectories(dir.resolve("out")).resolve("notes.txt");
        Files.writeString(mine, "mine");
        r = run("study", study.toString());
        assertEquals(2, r[0], (String) r[1]);
        assertEquals("mine", Files.readString(mine), "the failed run changed a file it did not write");
    }
}

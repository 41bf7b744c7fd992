package dev.repsim.cli;

import dev.repsim.study.Study;
import dev.repsim.study.StudyEmbeddings;
import dev.repsim.study.StudyLoader;
import dev.repsim.study.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code repsim study STUDY.yaml}: runs a study file end to end and prints where its report is. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Runs a study file: embeddings of every model and variant, similarity matrices, neighbour analysis, UMAP, "
                + "and report.html with PNG figures, JSON and CSV in the study's output folder. Resumes from the embedding cache.")
public final class StudyCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "STUDY.yaml", description = "The study file (see docs/README-study.md).")
    Path file;

    @Override
    public Integer call() {
        Study study = StudyLoader.load(file);
        Path report = new StudyRunner(study, new StudyEmbeddings(), System.err).run();
        System.out.println(report.toAbsolutePath());
        return 0;
    }
}

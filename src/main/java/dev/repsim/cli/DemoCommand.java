package dev.repsim.cli;

import dev.repsim.util.RepoRoot;
import dev.repsim.study.Study;
import dev.repsim.study.StudyEmbeddings;
import dev.repsim.study.StudyLoader;
import dev.repsim.study.StudyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code repsim demo}: the main job on the data shipped in the repository: the study
 * {@code data/demo/study.yaml} (26 public-domain photographs with foreground masks, five variants,
 * two trained models shipped in models/: MobileNetV2 and the U²-Net-p encoder), ending with where its report is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Runs the demonstration study on the photographs shipped in data/demo (variants, embeddings with the "
                + "trained MobileNetV2 and U2-Net-p encoder shipped in models/, similarity matrices, neighbour analysis, UMAP) and prints "
                + "where report.html is.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: out/demo in the checkout).")
    Path out;

    @Option(names = "--backend", description = "auto, java, blas or opencl (default: the study file's, auto).")
    String backend;

    @Option(names = "--repo", paramLabel = "DIR", description = "The repsim checkout (default: found from the running jar).")
    Path repo;

    @Override
    public Integer call() {
        Path root = repo != null ? repo : RepoRoot.find();
        Study study = StudyLoader.load(root.resolve("data/demo/study.yaml"));
        if (out != null) study = study.withOutput(out.toAbsolutePath());
        if (backend != null) study = study.withBackend(backend);
        Path report = new StudyRunner(study, new StudyEmbeddings(), System.err).run();
        System.err.println("demo: open the report in a browser: " + report.toAbsolutePath());
        System.out.println(report.toAbsolutePath());
        return 0;
    }
}

package dev.repsim.measure;

import dev.repsim.io.InputException;
import dev.repsim.metrics.Metric;
import dev.repsim.study.SimilarityStage;
import dev.repsim.study.Study;
import dev.repsim.study.StudyEmbeddings;
import dev.repsim.study.StudyLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The similarity work of a study file, as {@code repsim study} would do it: per model, every pair
 * i ≤ j of its variants (diagonal included); per variant, when there are several models, every pair
 * i ≤ j of models; each pair once per metric (see SimilarityStage). n is the study's image count and
 * each model's width is what the study's own checks read (the ONNX output shape or the .npy header).
 */
public final class StudyWorkload {
    private StudyWorkload() {}

    /** The study's workload; {@code precision} overrides the study's own when not null. */
    public static Workload of(Path file, String precision) {
        return of(StudyLoader.load(file), file, precision);
    }

    /** The workload of a study already loaded from {@code file}. */
    public static Workload of(Study s, Path file, String precision) {
        Map<String, Long> widths = new StudyEmbeddings().check(s);
        SimilarityStage.checkWidths(s, widths);
        List<Study.Model> models = s.models();
        for (Study.Model m : models) {
            long w = widths.getOrDefault(m.name(), -1L);
            if (w < 1) throw new InputException(file, "model '" + m.name() + "' has no fixed output width (its ONNX output is symbolic): cannot plan without it");
        }
        int n = s.n(), v = s.variants().size();
        // shape (dx ≤ dy) → evaluations per metric
        Map<List<Integer>, Long> counts = new LinkedHashMap<>();
        for (Study.Model m : models) {
            int w = Math.toIntExact(widths.get(m.name()));
            counts.merge(List.of(w, w), (long) v * (v + 1) / 2, Long::sum);
        }
        if (models.size() > 1) {
            for (int i = 0; i < models.size(); i++) {
                for (int j = i; j < models.size(); j++) {
                    int a = Math.toIntExact(widths.get(models.get(i).name())), b = Math.toIntExact(widths.get(models.get(j).name()));
                    counts.merge(List.of(Math.min(a, b), Math.max(a, b)), (long) v, Long::sum);
                }
            }
        }
        List<Workload.Pair> pairs = new ArrayList<>();
        counts.forEach((shape, c) -> pairs.add(new Workload.Pair(n, shape.get(0), shape.get(1), c)));
        String prec = precision != null ? precision : s.precision().label();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("study", file.toString());
        d.put("n", n);
        Map<String, Integer> w = new LinkedHashMap<>();
        for (Study.Model m : models) w.put(m.name(), Math.toIntExact(widths.get(m.name())));
        d.put("widths", w);
        d.put("variants", s.variants());
        d.put("precision", prec);
        d.put("metrics", s.metrics().stream().map(Metric::label).toList());
        d.put("pairs_per_metric", counts.values().stream().mapToLong(Long::longValue).sum());
        return new Workload(s.metrics(), prec, pairs, d);
    }

    /** The embeddings the study's embedding stage makes: images × variants × models. */
    public static long embeddings(Study s) {
        return (long) s.n() * s.variants().size() * s.models().size();
    }
}

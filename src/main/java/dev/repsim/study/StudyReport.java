package dev.repsim.study;

import dev.repsim.metrics.Metric;
import dev.repsim.report.HtmlReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text and layout of a study's {@code report.html}, from its results and rendered figures. */
final class StudyReport {
    private StudyReport() {}

    /** Figure maps are keyed "model\0metric", "variant\0metric", or by model name. */
    /** What a cell reads when nothing changed: 1 for a similarity, 0 for a distance (named when the study has any). */
    private static String identity(StudyResults r) {
        List<String> d = r.metrics().stream().filter(m -> Metric.parse(m).isDistance()).toList();
        return d.isEmpty() ? "1 means" : "1 for a similarity, and 0 for a distance (" + String.join(", ", d) + "), mean";
    }

    static String html(StudyResults r, Map<String, byte[]> variantFigs, Map<String, byte[]> modelFigs,
                       Map<String, byte[]> shareFigs, Map<String, byte[]> compositionFigs, Map<String, byte[]> umapFigs, Map<String, byte[]> examples,
                       List<String> files) {
        HtmlReport h = new HtmlReport("repsim study: " + r.name());
        h.paragraph(String.format(Locale.ROOT,
                "How the representations of %d model%s change when parts of the image are removed (after Cadet et al. 2023, "
                        + "\"Evaluating the Robustness of Self-Supervised Representations to Background/Foreground Removal\", arXiv 2306.01398): "
                        + "%d images, each in %d variants (%s).",
                r.models().size(), r.models().size() == 1 ? "" : "s", r.n(), r.variants().size(), String.join(", ", r.variants())));
        String finding = VariantFindings.paragraph(r);
        if (finding != null) h.paragraph(finding);

        h.heading(2, "Set-up", "setup");
        List<List<String>> setup = new ArrayList<>();
        setup.add(List.of("study file", r.studyFile()));
        setup.add(List.of("images", Integer.toString(r.n())));
        setup.add(List.of("variants", String.join(", ", r.variants())));
        for (StudyResults.ModelInfo m : r.models()) setup.add(List.of("model " + m.name(), m.width() + " features (" + m.source() + ")"));
        setup.add(List.of("metrics", String.join(", ", r.metrics())));
        setup.add(List.of("backend", r.backend() + ", " + r.precision()));
        setup.add(List.of("neighbour analysis", "k = " + r.k() + ", " + r.knnMetric() + " distance"));
        r.stageSeconds().forEach((stage, s) -> setup.add(List.of("time: " + stage, String.format(Locale.ROOT, "%.1f s", s))));
        setup.add(List.of("generated", r.generated()));
        h.keyValues(setup);

        if (!examples.isEmpty()) {
            h.heading(2, "Variants of one image", "examples");
            h.beginGallery();
            examples.forEach((variant, png) -> h.figure(png, variant + " variant", variant));
            h.endGallery();
        }

        h.heading(2, "Each model across variants", "variants");
        h.paragraph("For each model, the similarity of its embeddings of one variant to its embeddings of another, over the same images. "
                + identity(r) + " the representation did not change (up to the invariances of the metric); values printed in the cells.");
        for (StudyResults.ModelInfo m : r.models()) {
            h.heading(3, m.name(), "variants-" + m.name());
            h.beginGallery();
            for (String metric : r.metrics()) {
                h.figure(variantFigs.get(m.name() + "\u0000" + metric), m.name() + " " + metric + " variant by variant",
                        metric + ": variant × variant for " + m.name());
            }
            h.endGallery();
        }

        if (!r.modelSimilarity().isEmpty()) {
            h.heading(2, "Models compared, per variant", "models");
            h.paragraph("For each variant, the similarity between the models' embeddings of the same images.");
            for (String v : r.variants()) {
                h.heading(3, v, "models-" + v);
                h.beginGallery();
                for (String metric : r.metrics()) {
                    h.figure(modelFigs.get(v + "\u0000" + metric), v + " " + metric + " model by model", metric + ": model × model on the " + v + " variant");
                }
                h.endGallery();
            }
        }

        h.heading(2, "Neighbour analysis", "neighbours");
        int pooled = r.n() * r.variants().size();
        h.paragraph(String.format(Locale.ROOT,
                "Per model, the embeddings of all variants are pooled (%d points) and each point's %d nearest other points found. "
                        + "Same variant: the share of neighbours from the point's own variant (by chance %.3f). Same image: the share that are "
                        + "the same image in another variant (by chance %.3f). A model that sees through the removal keeps an image's variants "
                        + "together (high same-image share); one dominated by what was removed clusters by variant.",
                pooled, r.k(), r.neighbourChance().get("sameVariant"), r.neighbourChance().get("sameImage")));
        h.beginGallery();
        shareFigs.forEach((what, png) -> h.figure(png, "neighbours: " + what, "Share of neighbours: " + what + ", per variant and model"));
        h.endGallery();
        List<List<String>> rows = new ArrayList<>();
        r.neighbours().forEach((model, res) -> {
            for (String v : r.variants()) {
                rows.add(List.of(model, v, String.format(Locale.ROOT, "%.3f", res.sameVariant().get(v)), String.format(Locale.ROOT, "%.3f", res.sameImage().get(v))));
            }
            rows.add(List.of(model, "all", String.format(Locale.ROOT, "%.3f", res.overallSameVariant()), String.format(Locale.ROOT, "%.3f", res.overallSameImage())));
        });
        h.table(List.of("model", "variant", "same variant", "same image, other variant"), rows);
        h.paragraph("Where the neighbours come from: row = the point's variant, column = the neighbour's variant (rows sum to 1).");
        h.beginGallery();
        compositionFigs.forEach((model, png) -> h.figure(png, model + " neighbour composition", "Neighbours by variant, " + model));
        h.endGallery();

        h.heading(2, "UMAP of the pooled embeddings", "umap");
        h.paragraph("Each point is one image in one variant, coloured by variant (UMAP, McInnes et al. 2018; Smile's implementation, seeded).");
        h.beginGallery();
        umapFigs.forEach((model, png) -> {
            StudyResults.Umap u = r.umap().get(model);
            h.figure(png, model + " UMAP", String.format(Locale.ROOT, "%s: %d points, %d neighbours, min-dist %.2f, %d epochs, seed %d%s",
                    model, u.xy().length, u.neighbors(), u.minDist(), u.epochs(), u.seed(),
                    u.components() == 1 ? "" : "; the neighbour graph has " + u.components()
                            + " connected components, each laid out on its own, left to right by size: distances between them mean nothing"));
        });
        h.endGallery();

        h.heading(2, "Files", "files");
        h.paragraphWithCode("Every number of this report is in ", "results.json", " and in the CSV files beside it; the figures are also in ",
                "figures/", " as PNG.");
        h.links(files);
        return h.html();
    }
}

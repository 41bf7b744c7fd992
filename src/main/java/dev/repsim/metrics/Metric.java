package dev.repsim.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The similarity metrics of the study, spelled as on the command line. */
public enum Metric {
    LINEAR_CKA("linear-cka"),
    LINEAR_CKA_DEBIASED("linear-cka-debiased"),
    RBF_CKA("rbf-cka"),
    RBF_CKA_DEBIASED("rbf-cka-debiased"),
    MINIBATCH_CKA("minibatch-cka"),
    CCA_MEAN("cca-mean"),
    CCA_R2("cca-r2"),
    SVCCA("svcca"),
    PWCCA("pwcca");

    private final String label;

    Metric(String label) { this.label = label; }

    /** Command-line spelling, also the JSON key. */
    public String label() { return label; }

    /** True for the metrics computed from canonical correlations. */
    public boolean isCca() { return this == CCA_MEAN || this == CCA_R2 || this == SVCCA || this == PWCCA; }

    /** Smallest number of samples the metric is defined for. */
    public int minSamples() {
        return switch (this) {
            case LINEAR_CKA_DEBIASED, RBF_CKA_DEBIASED, MINIBATCH_CKA -> 4;
            default -> 2;
        };
    }

    public static Metric parse(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        for (Metric m : values()) if (m.label.equals(t)) return m;
        throw new IllegalArgumentException("unknown metric '" + s + "' (known: " + labels() + ")");
    }

    /** Parses a comma-separated list; {@code all} means every metric. Order kept, duplicates dropped. */
    public static List<Metric> parseList(String csv) {
        if (csv.strip().equalsIgnoreCase("all")) return List.of(values());
        return Arrays.stream(csv.split(",")).filter(t -> !t.isBlank()).map(Metric::parse).distinct().toList();
    }

    public static String labels() {
        return Arrays.stream(values()).map(Metric::label).collect(Collectors.joining(", "));
    }
}

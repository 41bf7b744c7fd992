package dev.repsim.metrics.neighbours;

/**
 * The share of neighbours the two representations agree on, per row then averaged:
 * {@code jaccard-knn} |N_X(i) ∩ N_Y(i)| / |N_X(i) ∪ N_Y(i)| (as in ReSi) and {@code mutual-knn}
 * |N_X(i) ∩ N_Y(i)| / k (Huh et al. 2024, platonic-rep's mutual_knn).
 */
public final class NeighbourOverlap {
    private NeighbourOverlap() {}

    public static double jaccard(NeighbourSets s) {
        int[] scratch = new int[s.n()];
        double sum = 0;
        for (int i = 0; i < s.n(); i++) {
            int c = NeighbourSets.common(s.x()[i], s.y()[i], scratch);
            sum += (double) c / (2 * s.k() - c);
        }
        return sum / s.n();
    }

    public static double mutual(NeighbourSets s) {
        int[] scratch = new int[s.n()];
        long common = 0;
        for (int i = 0; i < s.n(); i++) common += NeighbourSets.common(s.x()[i], s.y()[i], scratch);
        return (double) common / ((double) s.k() * s.n());
    }
}

package dev.repsim.measure;

import dev.repsim.io.Csv;
import dev.repsim.io.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The Spark benchmark runs of a results folder, as {@code spark/bench.sh} writes them and they are
 * committed: {@code results/<machine>/spark/cka-*.csv} (the distributed exact linear CKA: rows × dim
 * float32 rows of X and Y, the co-moments of their 2·dim columns) and {@code embed-*.csv} (a study's
 * embedding stage), as {@link ClusterModel.Run}s per machine. Runs of a master given as a URL (workers 0:
 * local[N] or a cluster of unknown size) are left out: only standalone[N] runs say how many one-core
 * workers did the work.
 */
public final class SparkBenchResults {
    private SparkBenchResults() {}

    /** What one kind of CSV holds and how a line becomes a run. */
    public enum Kind {
        /** Work: rows·(2·dim)², the multiply-adds of the co-moment reduction up to a constant. */
        CKA("cka-", "spark/bench.sh ROWS DIM MASTERS PARTITIONS REPEAT", List.of("workers", "rows", "dim", "seconds")) {
            @Override
            double work(Map<String, String> row, Path file, int line) {
                double w = 2.0 * positive(row, "dim", file, line);
                return positive(row, "rows", file, line) * w * w;
            }
        },
        /** Work: embeddings (images × variants × models). */
        EMBED("embed-", "spark/bench.sh embed STUDY.yaml COPIES MASTERS PARTITIONS REPEAT", List.of("workers", "embeddings", "seconds")) {
            @Override
            double work(Map<String, String> row, Path file, int line) {
                return positive(row, "embeddings", file, line);
            }
        };

        final String prefix, writtenBy;
        final List<String> columns;

        Kind(String prefix, String writtenBy, List<String> columns) {
            this.prefix = prefix;
            this.writtenBy = writtenBy;
            this.columns = columns;
        }

        abstract double work(Map<String, String> row, Path file, int line);

        /** The file name pattern, for messages. */
        public String pattern() { return prefix + "*.csv"; }
    }

    /**
     * The runs of {@code kind} per machine id (machines without such a file are left out), in machine
     * order; an input error naming the folder and the missing file when no machine has one.
     */
    public static Map<String, List<ClusterModel.Run>> load(Path results, Kind kind) {
        if (!Files.isDirectory(results)) throw new InputException(results, "no results folder");
        Map<String, List<ClusterModel.Run>> out = new LinkedHashMap<>();
        List<Path> sparkFolders = new ArrayList<>();
        for (Path machine : list(results, Files::isDirectory)) {
            Path spark = machine.resolve("spark");
            if (!Files.isDirectory(spark)) continue;
            sparkFolders.add(spark);
            List<ClusterModel.Run> runs = new ArrayList<>();
            for (Path csv : list(spark, p -> p.getFileName().toString().startsWith(kind.prefix) && p.getFileName().toString().endsWith(".csv"))) {
                runs.addAll(read(csv, kind));
            }
            if (!runs.isEmpty()) out.put(machine.getFileName().toString(), runs);
        }
        if (out.isEmpty()) {
            String what = kind.pattern() + " with standalone[N] runs (written by " + kind.writtenBy + ")";
            if (sparkFolders.isEmpty()) throw new InputException(results, "no Spark benchmark results: missing <machine>/spark/" + what);
            throw new InputException(sparkFolders.getFirst(), "missing " + what);
        }
        return out;
    }

    private static List<ClusterModel.Run> read(Path csv, Kind kind) {
        List<ClusterModel.Run> runs = new ArrayList<>();
        List<Map<String, String>> rows = Csv.read(csv, kind.columns);
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> r = rows.get(i);
            int line = i + 2;
            double workers = number(r, "workers", csv, line);
            if (!Double.isFinite(workers) || workers != Math.rint(workers) || workers < 0) throw new InputException(csv, "line " + line + ": workers is not a count: '" + r.get("workers") + "'");
            if (workers == 0) continue;
            runs.add(new ClusterModel.Run((int) workers, kind.work(r, csv, line), positive(r, "seconds", csv, line)));
        }
        return runs;
    }

    private static double positive(Map<String, String> row, String column, Path file, int line) {
        double v = number(row, column, file, line);
        if (!(v > 0) || !Double.isFinite(v)) throw new InputException(file, "line " + line + ": " + column + " must be a finite positive number, got '" + row.get(column) + "'");
        return v;
    }

    private static double number(Map<String, String> row, String column, Path file, int line) {
        try {
            return Double.parseDouble(row.get(column).strip());
        } catch (NumberFormatException e) {
            throw new InputException(file, "line " + line + ": " + column + " is not a number: '" + row.get(column) + "'");
        }
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> keep) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(keep).sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir, "cannot list: " + e.getMessage());
        }
    }
}

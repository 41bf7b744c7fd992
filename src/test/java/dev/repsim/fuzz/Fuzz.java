package dev.repsim.fuzz;

import dev.repsim.io.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs a reader of outside input over a seeded corpus of mutants. Every mutant must end in a result or
 * an {@link InputException} whose one-line message names the file (or {@code named}, when the reader
 * reports another file); any other exception or error (an OutOfMemoryError included) fails the batch
 * with the case numbers to replay, and the whole batch must finish within its time limit (a hang).
 */
public final class Fuzz {
    /** A reader of one file. */
    @FunctionalInterface
    public interface Reader {
        Object read(Path file) throws Exception;
    }

    /** Makes one mutant from a random state. */
    @FunctionalInterface
    public interface Mutator {
        byte[] mutate(SplittableRandom r);
    }

    /** How a batch ended: how many mutants were read as valid and how many were refused. */
    public record Outcome(int valid, int refused) {}

    private Fuzz() {}

    public static Outcome run(Path file, long seed, int cases, Duration limit, Mutator mutator, Reader reader) {
        return run(file, file, seed, cases, limit, mutator, reader);
    }

    public static Outcome run(Path file, Path named, long seed, int cases, Duration limit, Mutator mutator, Reader reader) {
        return assertTimeoutPreemptively(limit, () -> {
            int valid = 0, refused = 0;
            Map<String, String> defects = new LinkedHashMap<>(); // one example per kind of defect
            List<Integer> failing = new ArrayList<>();
            for (int i = 0; i < cases; i++) {
                byte[] input = mutator.mutate(new SplittableRandom(seed * 1_000_003L + i));
                Files.write(file, input);
                try {
                    reader.read(file);
                    valid++;
                } catch (InputException e) {
                    String m = String.valueOf(e.getMessage());
                    if (m.contains("\n") || !m.contains(named.toString())) {
                        defects.putIfAbsent("unclear message", "case " + i + ": " + m);
                        failing.add(i);
                    }
                    refused++;
                } catch (Throwable t) {
                    StackTraceElement at = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
                    defects.putIfAbsent(t.getClass().getName() + " at " + at, "case " + i + " (" + input.length + " bytes: "
                            + HexFormat.of().formatHex(input, 0, Math.min(48, input.length)) + "...): " + t);
                    failing.add(i);
                }
            }
            if (!defects.isEmpty()) {
                StringBuilder b = new StringBuilder(failing.size() + " of " + cases + " mutants (seed " + seed + ", cases "
                        + failing.subList(0, Math.min(20, failing.size())) + ") were not a result or a clear error:");
                defects.forEach((k, v) -> b.append("\n  ").append(k).append("\n    ").append(v));
                fail(b.toString());
            }
            assertTrue(refused > 0, "the mutants were all valid: the mutations do not reach the reader");
            return new Outcome(valid, refused);
        });
    }
}

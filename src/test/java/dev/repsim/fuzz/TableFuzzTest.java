package dev.repsim.fuzz;

import dev.repsim.embed.EmbedInput;
import dev.repsim.io.InputException;
import dev.repsim.io.Labels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Mutated variants.csv listings ({@link EmbedInput#fromVariants}) and label files ({@link Labels}): rows or a clear error. */
class TableFuzzTest {
    private static final String[] TOKENS = {"\"", ",", "\"\"", "\r", "\r\n", "\uFEFF", "\u0000", ",,,,,,", "\"a\nb\",", "image,label,variant,path,foreground_share\n"};
    @TempDir
    Path dir;

    private static Fuzz.Mutator tables(List<byte[]> seeds) {
        return r -> {
            byte[] s = seeds.get(r.nextInt(seeds.size()));
            return switch (r.nextInt(3)) {
                case 0 -> Mutations.text(s, r);
                case 1 -> Mutations.lines(s, r, TOKENS);
                default -> Mutations.bytes(s, r);
            };
        };
    }

    @Test
    void variantsListings() {
        List<byte[]> seeds = List.of("""
                image,label,variant,path,foreground_share
                a/x.png,a,full,full/a/x.png,0.250000
                a/x.png,a,foreground,foreground/a/x.png,0.250000
                "b/y,1.png",b,full,"full/b/y,1.png",1.000000
                """.getBytes(StandardCharsets.UTF_8));
        Fuzz.Outcome o = Fuzz.run(dir.resolve("variants.csv"), 51, 400, Duration.ofSeconds(20), tables(seeds),
                f -> EmbedInput.fromVariants(f.getParent()));
        assertTrue(o.valid() > 0, o.toString());
    }

    @Test
    void listedPathsMustBePaths() throws Exception {
        for (String bad : new String[] {"", " ", "a\u0000b.png"}) {
            Files.writeString(dir.resolve("variants.csv"), "image,label,variant,path,foreground_share\nx.png,,full,\"" + bad + "\",1\n");
            InputException e = assertThrows(InputException.class, () -> EmbedInput.fromVariants(dir), bad);
            assertTrue(e.getMessage().startsWith(dir.resolve("variants.csv") + ": row 1: path '"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        Files.writeString(dir.resolve("variants.csv"), "image,label,variant,path,foreground_share\nx.png,,full,full/x.png,1\n");
        assertEquals(dir.resolve("full/x.png"), EmbedInput.fromVariants(dir).getFirst().file());
    }

    @Test
    void labelFiles() {
        List<byte[]> seeds = List.of("""
                row,image,label,variant
                0,a/x.png,a,full
                1,b/y.png,b,full
                """.getBytes(StandardCharsets.UTF_8));
        Fuzz.run(dir.resolve("labels.csv"), 52, 300, Duration.ofSeconds(20), tables(seeds), f -> Labels.read(f, "label"));
        List<byte[]> text = List.of("cat\ndog\n  bird \ncat\n".getBytes(StandardCharsets.UTF_8));
        Fuzz.run(dir.resolve("labels.txt"), 53, 300, Duration.ofSeconds(20), tables(text), f -> Labels.read(f, "label"));
    }
}

package dev.repsim.cli;

import dev.repsim.util.RepoRoot;
import dev.repsim.image.PngWriter;
import dev.repsim.image.TestImages;
import dev.repsim.metrics.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** What a new user sees first: the usage, mistyped commands, help texts, and variants without masks. */
class NewUserCliTest {
    @TempDir
    Path dir;

    /** {exit status, stdout, stderr} of one command line. */
    private static Object[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new Object[]{r.status(), r.out(), r.err()};
    }

    @Test
    void noArgumentsPrintsTheCommands() {
        Object[] r = run();
        assertEquals(0, r[0]);
        String usage = (String) r[1];
        assertTrue(usage.contains("Commands:"), usage);
        for (String c : List.of("demo", "study", "variants", "embed", "metrics", "knn", "bench", "devices")) {
            assertTrue(usage.contains("\n  " + c + " "), c + " in " + usage);
        }
    }

    /**
     * picocli formats every description with String.format; one that does not format (a bare "95 % c…")
     * is printed raw after a "[picocli WARN]" line on the user's terminal. Each must format.
     */
    @Test
    void everyHelpTextFormats() {
        assertHelpFormats(Main.commandLine());
    }

    private static void assertHelpFormats(picocli.CommandLine command) {
        picocli.CommandLine.Model.CommandSpec spec = command.getCommandSpec();
        List<String> lines = new java.util.ArrayList<>(List.of(spec.usageMessage().description()));
        for (picocli.CommandLine.Model.OptionSpec o : spec.options()) lines.addAll(List.of(o.description()));
        for (picocli.CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) lines.addAll(List.of(p.description()));
        for (String line : lines) {
            assertDoesNotThrow(() -> String.format(line), spec.qualifiedName() + ": " + line);
        }
        for (picocli.CommandLine sub : command.getSubcommands().values()) assertHelpFormats(sub);
    }

    @Test
    void aMistypedCommandSuggestsTheRightOne() {
        Object[] r = run("studdy", "x.yaml");
        assertEquals(2, r[0]);
        String err = (String) r[2];
        assertTrue(err.startsWith("repsim: Unmatched argument"), err);
        assertFalse(err.contains("repsim repsim"), err);
        assertTrue(err.contains("repsim study"), err);
    }

    @Test
    void metricsHelpListsEveryMetric() {
        String help = ((String) run("metrics", "--help")[1]).replaceAll("\\s+", " ");
        for (Metric m : Metric.values()) assertTrue(help.contains(" " + m.label() + ",") || help.contains(" " + m.label() + "."), m.label() + " in " + help);
        assertFalse(help.contains("'all': ."), help);
    }

    @Test
    void studyHelpPointsAtADocThatExists() {
        String help = ((String) run("study", "--help")[1]).replaceAll("\\s+", " ");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(docs/[\\w.-]+\\.md)").matcher(help);
        assertTrue(m.find(), help);
        assertTrue(Files.isRegularFile(RepoRoot.find().resolve(m.group(1))), m.group(1));
    }

    @Test
    void variantsThatNeedNoMaskRunWithoutMasks() throws Exception {
        PngWriter.write(dir.resolve("img/cat/a.png"), TestImages.random(20, 16, 3, 8, 1));
        PngWriter.write(dir.resolve("img/b.png"), TestImages.random(20, 16, 3, 8, 2));
        Path out = dir.resolve("out");
        Object[] r = run("variants", "--images", dir.resolve("img").toString(), "--out", out.toString(), "--variants", "full,center");
        assertEquals(0, r[0], (String) r[2]);
        List<String> csv = Files.readAllLines(out.resolve("variants.csv"));
        assertEquals(List.of("image,label,variant,path,foreground_share", "b.png,,full,full/b.png,", "b.png,,center,center/b.png,",
                "cat/a.png,cat,full,full/cat/a.png,", "cat/a.png,cat,center,center/cat/a.png,"), csv);
        assertFalse(Files.exists(out.resolve("mask")));

        r = run("variants", "--images", dir.resolve("img").toString(), "--out", dir.resolve("out2").toString(), "--variants", "full,background");
        assertEquals(2, r[0]);
        assertEquals("repsim variants: variant background needs foreground masks: give --masks or --segmenter", ((String) r[2]).strip());
        assertFalse(Files.exists(dir.resolve("out2")));
    }

    @Test
    void variantsStoppedByBadInputLeaveTheOutputFolderAsItWas() throws Exception {
        for (int i = 0; i < 6; i++) PngWriter.write(dir.resolve("img/p" + i + ".png"), TestImages.random(20, 16, 3, 8, i));
        Path out = dir.resolve("out");
        assertEquals(0, run("variants", "--images", dir.resolve("img").toString(), "--out", out.toString(), "--variants", "full,border")[0]);
        // a stray file in the image folder: nothing of the second run may reach out/
        Files.writeString(dir.resolve("img/z-notes.txt"), "not an image");
        String before = listing(dir);
        Object[] r = run("variants", "--images", dir.resolve("img").toString(), "--out", out.toString(), "--variants", "full,center", "--threads", "1");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("z-notes.txt"), (String) r[2]);
        assertEquals(before, listing(dir), "the first run's outputs untouched, no staging folder left");
    }

    private static String listing(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return String.join("\n", s.map(p -> root.relativize(p).toString()).sorted().toList());
        }
    }

    @Test
    void noOpenClIsOneLineWithoutLwjglsBlock() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED",
                "-Dorg.lwjgl.opencl.libname=libNoSuchOpenCL.so.1", "dev.repsim.cli.Main", "devices")
                .redirectErrorStream(true).start();
        String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(all.contains("No usable OpenCL device: the OpenCL ICD loader library could not be loaded"), all);
        assertFalse(all.contains("[LWJGL]"), all);
    }
}

package dev.repsim.cli;

import dev.repsim.util.RepoRoot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import dev.repsim.onnx.TinyModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every fenced example of README.md and docs/*.md runs as written, or is checked as far as it can be
 * without minutes of work, and every one is accounted for: a block or command this test does not know
 * how to handle fails it.
 * <ul>
 *   <li>{@code sh}: each command line. {@code bin/repsim ...} runs through {@link Main} in a scratch copy
 *   of the checkout (data/, models/, docs/ linked; {@code /tmp/...} mapped into it; {@code demo} given
 *   {@code --repo} of the copy), and must exit 0. The commands in {@link #CHECKED_ONLY} take minutes or
 *   write into the checkout: they are parsed (picocli), run with {@code --dry-run}, or checked with
 *   {@code bash -n}.</li>
 *   <li>{@code text}: a usage synopsis {@code bin/repsim CMD ...} whose command and every {@code --option}
 *   exist; any other text block must be listed in {@link #TEXT_BLOCKS}.</li>
 *   <li>{@code yaml}: a study file, saved under the name the prose before it gives ("Saved as
 *   `NAME.yaml`") and run by a later {@code bin/repsim study NAME.yaml} line.</li>
 *   <li>{@code java}: compiled against the test class path and run on three demo photographs.</li>
 *   <li>{@code json}: every key it shows appears in a real {@code metrics --json} output.</li>
 *   <li>{@code python}: PyTorch export scripts, listed in {@link #TEXT_BLOCKS}'s sibling
 *   {@link #NOT_RUN_LANGUAGES}: they need PyTorch, timm and model weights from the internet.</li>
 * </ul>
 */
class ReadmeExamplesTest {
    private static final Path REPO = RepoRoot.find();

    /** Command prefixes that are checked but not run, and how. */
    private static final Map<String, String> CHECKED_ONLY = new LinkedHashMap<>();
    static {
        CHECKED_ONLY.put("bin/test", "bash -n: it runs this test suite");
        CHECKED_ONLY.put("bin/repsim bench-report", "parsed: it rewrites results/README.md of the checkout");
        CHECKED_ONLY.put("bin/repsim bench", "parsed: JMH runs take minutes to hours");
        CHECKED_ONLY.put("benchmarks/run-cpu.sh", "--dry-run: JMH runs take minutes to hours");
        CHECKED_ONLY.put("benchmarks/gpu/prepare.sh", "bash -n: builds a 30 MiB bundle");
        CHECKED_ONLY.put("benchmarks/gpu/run.sh", "bash -n: runs on a GPU machine");
        CHECKED_ONLY.put("java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.repsim.bench.BenchPlan",
                "every option is one of BenchPlan's: JMH runs take minutes, and the jar is built by benchmarks/pom.xml");
        CHECKED_ONLY.put("env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE java --add-modules=jdk.incubator.vector -cp benchmarks/target/benchmarks.jar dev.repsim.bench.BenchPlan",
                "every option is one of BenchPlan's: JMH runs take minutes, and the jar is built by benchmarks/pom.xml");
        CHECKED_ONLY.put("export JAVA_HOME=", "environment set-up for the line after it");
        CHECKED_ONLY.put("spark-submit", "parsed (the repsim arguments): needs a Spark cluster and its spark-submit");
        CHECKED_ONLY.put("spark/bench.sh", "bash -n: a benchmark takes minutes");
    }

    /** Marks a command that runs on Spark: parsed only here (the core's tests never load Spark); spark/'s tests run such commands. */
    private static final String SPARK_OPTION = " --spark ";

    /** Text blocks that are not commands, by their first line. */
    private static final Map<String, String> TEXT_BLOCKS = Map.of(
            "pom.xml            the library and command line (Java 25)", "the source layout");

    /** Languages of blocks that are never run, with why. */
    private static final Map<String, String> NOT_RUN_LANGUAGES = Map.of(
            "python", "model export with PyTorch and timm: needs the weights from the internet and a GPU-sized machine");

    @TempDir
    Path ws;

    private final List<String> failures = new ArrayList<>();
    private final Set<String> savedStudies = new HashSet<>();
    private final Set<String> ranStudies = new HashSet<>();
    private int blocks;

    record Block(Path file, int line, String lang, String text, String before) {
        String where() {
            return REPO.relativize(file) + ":" + line;
        }
    }

    static List<Block> blocks(Path md) throws Exception {
        List<String> lines = Files.readAllLines(md);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) continue;
            String lang = lines.get(i).substring(3).strip();
            int start = i;
            StringBuilder b = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) b.append(lines.get(i)).append('\n');
            String before = String.join("\n", lines.subList(Math.max(0, start - 4), start));
            out.add(new Block(md, start + 1, lang, b.toString(), before));
        }
        return out;
    }

    static List<Path> documents() throws Exception {
        List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
            docs.addAll(s.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        return docs;
    }

    /** The links into the checkout go before JUnit deletes the scratch folder (it warns about each). */
    @AfterEach
    void unlink() throws Exception {
        for (String d : List.of("data", "models", "docs")) Files.deleteIfExists(ws.resolve(d));
    }

    /** The owners' rule: the README opens with exactly the two set-up commands. */
    @Test
    void readmeStartsWithTheTwoSetUpCommands() throws Exception {
        Block first = blocks(REPO.resolve("README.md")).getFirst();
        assertEquals(3, first.line(), "the first block is right under the title");
        assertEquals(List.of("bin/repsim demo", "bin/test"), commands(first.text()));
    }

    @Test
    void everyExampleRunsAsWritten() throws Exception {
        for (String d : List.of("data", "models", "docs")) Files.createSymbolicLink(ws.resolve(d), REPO.resolve(d));
        Files.createDirectories(ws.resolve("tmp"));
        fixtures();
        for (Path doc : documents()) {
            for (Block b : blocks(doc)) {
                blocks++;
                try {
                    handle(b);
                } catch (Exception | AssertionError e) {
                    failures.add(b.where() + " (" + b.lang() + "): " + e.getMessage());
                }
            }
        }
        Set<String> notRun = new HashSet<>(savedStudies);
        notRun.removeAll(ranStudies);
        if (!notRun.isEmpty()) failures.add("study files saved but never run by a `bin/repsim study` line: " + notRun);
        assertTrue(blocks > 20, "found only " + blocks + " blocks: is the parser broken?");
        assertEquals(List.of(), failures);
    }

    /** X.npy, Y.npy (n = 120, 10 and 7 features), Z.npy and L.txt, as the metrics and knn examples name them. */
    private void fixtures() throws Exception {
        SplittableRandom r = new SplittableRandom(11);
        int n = 120;
        double[] x = new double[n * 10], y = new double[n * 7], z = new double[n * 5];
        for (int i = 0; i < x.length; i++) x[i] = r.nextGaussian();
        for (int i = 0; i < n; i++) for (int j = 0; j < 7; j++) y[i * 7 + j] = x[i * 10 + j] + 0.5 * r.nextGaussian();
        for (int i = 0; i < z.length; i++) z[i] = r.nextGaussian() + (i / 5 % 3);
        Npy.write(ws.resolve("X.npy"), Matrix.of(n, 10, x));
        Npy.write(ws.resolve("Y.npy"), Matrix.of(n, 7, y));
        Npy.write(ws.resolve("Z.npy"), Matrix.of(n, 5, z));
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < n; i++) labels.append("class").append(i % 3).append('\n');
        Files.writeString(ws.resolve("L.txt"), labels);
    }

    private void handle(Block b) throws Exception {
        switch (b.lang()) {
            case "sh" -> {
                for (String cmd : commands(b.text())) command(cmd);
            }
            case "text" -> text(b);
            case "yaml" -> {
                Matcher m = Pattern.compile("Saved as `([\\w.-]+\\.yaml)`").matcher(b.before());
                assertTrue(m.find(), "a study example needs 'Saved as `NAME.yaml`' in the lines before it");
                Files.writeString(ws.resolve(m.group(1)), b.text());
                savedStudies.add(m.group(1));
            }
            case "java" -> java(b.text());
            case "json" -> json(b.text());
            default -> assertTrue(NOT_RUN_LANGUAGES.containsKey(b.lang()),
                    "fence language '" + b.lang() + "' is not one this test handles (sh, text, yaml, java, json, " + NOT_RUN_LANGUAGES.keySet() + ")");
        }
    }

    /** Command lines of a shell block: comments dropped, backslash continuations joined. */
    static List<String> commands(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String raw : text.split("\n")) {
            String line = raw.replaceFirst("\\s+#\\s.*$", "").replaceFirst("^\\s*#.*$", "");
            if (line.isBlank() && cur.isEmpty()) continue;
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            cur.append(line);
            out.add(cur.toString().strip().replaceAll("\\s+", " "));
            cur.setLength(0);
        }
        return out;
    }

    private void command(String cmd) throws Exception {
        if (cmd.startsWith("bin/repsim ") && cmd.contains(SPARK_OPTION)) {
            List<String> words = split(cmd);
            Main.commandLine().parseArgs(words.subList(1, words.size()).toArray(String[]::new));
            return;
        }
        for (Map.Entry<String, String> e : CHECKED_ONLY.entrySet()) {
            if (cmd.equals(e.getKey()) || cmd.startsWith(e.getKey() + " ") || (e.getKey().endsWith("=") && cmd.startsWith(e.getKey()))) {
                checkOnly(e.getKey(), cmd);
                return;
            }
        }
        assertTrue(cmd.startsWith("bin/repsim "), "'" + cmd + "' is neither a bin/repsim command nor listed in CHECKED_ONLY");
        List<String> args = new ArrayList<>();
        for (String t : split(cmd.substring("bin/repsim ".length()))) args.add(path(t));
        if (args.getFirst().equals("demo")) args.addAll(List.of("--repo", ws.toString()));
        if (args.getFirst().equals("study")) ranStudies.add(Path.of(args.get(1)).getFileName().toString());
        String[] r = run(args.toArray(String[]::new));
        assertEquals("0", r[0], "'" + cmd + "' failed: " + r[2]);
    }

    /** A relative or /tmp path of an example, inside the scratch checkout; other words unchanged. */
    private String path(String t) {
        if (t.startsWith("-")) return t;
        if (t.startsWith("/tmp/")) return ws.resolve("tmp").resolve(t.substring(5)).toString();
        if (t.contains("/") || t.matches(".*\\.(npy|txt|yaml|onnx|json|csv)$")) return ws.resolve(t).toString();
        return t;
    }

    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(s);
        while (m.find()) out.add(m.group(1) != null ? m.group(1) : m.group(2));
        return out;
    }

    /** {exit status, stdout, stderr}. */
    private static String[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new String[]{Integer.toString(r.status()), r.out(), r.err()};
    }

    private void checkOnly(String prefix, String cmd) throws Exception {
        List<String> words = split(cmd);
        switch (prefix) {
            case "bin/repsim bench", "bin/repsim bench-report" -> {
                CommandLine cl = Main.commandLine();
                cl.parseArgs(words.subList(1, words.size()).toArray(String[]::new));
            }
            case "benchmarks/run-cpu.sh" -> {
                List<String> c = new ArrayList<>(List.of("bash", REPO.resolve(words.getFirst()).toString(), "--dry-run"));
                c.addAll(words.subList(1, words.size()));
                String[] r = process(c);
                assertEquals("0", r[0], cmd + ": " + r[1]);
            }
            case "bin/test", "benchmarks/gpu/prepare.sh", "benchmarks/gpu/run.sh", "spark/bench.sh" -> {
                String[] r = process(List.of("bash", "-n", REPO.resolve(words.getFirst()).toString()));
                assertEquals("0", r[0], cmd + ": " + r[1]);
            }
            case "export JAVA_HOME=" -> {
                // nothing to run: the tests themselves run on a Java 25 JDK
            }
            case "spark-submit" -> {
                // the application's arguments start at the repsim command after the jar
                int at = 1;
                while (at < words.size() && !Main.commandLine().getSubcommands().containsKey(words.get(at))) at++;
                assertTrue(at < words.size(), cmd + ": no repsim command after the jar");
                assertTrue(words.contains("dev.repsim.cli.Main"), cmd + ": --class dev.repsim.cli.Main");
                Main.commandLine().parseArgs(words.subList(at, words.size()).toArray(String[]::new));
            }
            default -> {
                String src = Files.readString(REPO.resolve("benchmarks/src/main/java/dev/repsim/bench/BenchPlan.java"));
                for (String w : words.subList(split(prefix).size(), words.size())) {
                    if (w.startsWith("--")) assertTrue(src.contains("\"" + w + "\""), cmd + ": BenchPlan has no option " + w);
                }
            }
        }
    }

    private static String[] process(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), cmd + " did not finish");
        return new String[]{Integer.toString(p.exitValue()), out};
    }

    /**
     * A usage synopsis: each {@code bin/repsim CMD} line (with the lines that continue it) names a command,
     * and every option on it is that command's; other text blocks must be listed.
     */
    private void text(Block b) {
        String first = b.text().lines().findFirst().orElse("");
        if (!first.startsWith("bin/repsim ")) {
            assertTrue(TEXT_BLOCKS.containsKey(first.strip()) || TEXT_BLOCKS.containsKey(first), "text block '" + first + "' is not listed in TEXT_BLOCKS");
            return;
        }
        CommandLine sub = null;
        String name = null;
        for (String line : b.text().lines().toList()) {
            if (line.startsWith("bin/repsim ")) {
                name = split(line).get(1);
                sub = Main.commandLine().getSubcommands().get(name);
                assertNotNull(sub, "no command '" + name + "'");
            }
            Matcher m = Pattern.compile("(--[a-z][a-z0-9-]*)").matcher(line);
            while (m.find()) assertNotNull(sub.getCommandSpec().findOption(m.group(1)), "'" + name + "' has no option " + m.group(1));
        }
    }

    /** Every key the documented JSON shape shows is in a real output. */
    private void json(String shape) throws Exception {
        String[] r = run("metrics", ws.resolve("X.npy").toString(), ws.resolve("Y.npy").toString(), "--metrics", "linear-cka,cca-mean", "--json");
        assertEquals("0", r[0], r[2]);
        JsonNode real = new ObjectMapper().readTree(r[1]);
        Matcher m = Pattern.compile("\"([a-z_-]+)\":").matcher(shape);
        int keys = 0;
        while (m.find()) {
            keys++;
            String k = m.group(1);
            assertTrue(real.has(k) || real.get("metrics").has(k) || real.get("timings_ms").has(k), "key '" + k + "' not in " + r[1]);
        }
        assertTrue(keys >= 5, "found only " + keys + " keys in the JSON block");
    }

    /** The Java API snippet: compiled with the variables it uses declared, run on three demo photographs. */
    private void java(String snippet) throws Exception {
        Path src = ws.resolve("snippet/ReadmeSnippet.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, """
                import dev.repsim.embed.*;
                import dev.repsim.io.Progress;
                import dev.repsim.linalg.Matrix;
                import dev.repsim.variants.*;
                import java.nio.file.*;
                import java.util.*;

                public class ReadmeSnippet {
                    public static void run(Path imagesDir, Path variantsDir, Path modelFile, Path cacheDir, Path outDir) throws Exception {
                """ + snippet + """
                    }
                }
                """);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diag = new ByteArrayOutputStream();
        int rc = javac.run(null, diag, diag, "-classpath", System.getProperty("java.class.path"), "-d", src.getParent().toString(), src.toString());
        assertEquals(0, rc, "the Java snippet does not compile:\n" + diag.toString(StandardCharsets.UTF_8));

        Path images = ws.resolve("snippet/images");
        try (Stream<Path> s = Files.list(REPO.resolve("data/demo/images/science"))) {
            for (Path p : s.sorted().toList()) {
                Files.createDirectories(images);
                Files.copy(p, images.resolve(p.getFileName()));
            }
        }
        Path model = ws.resolve("snippet/vit.onnx");
        Files.write(model, TinyModel.create("tiny-vit", 0).toOnnx());
        Path out = ws.resolve("snippet/out");
        try (URLClassLoader cl = new URLClassLoader(new URL[]{src.getParent().toUri().toURL()}, getClass().getClassLoader())) {
            Method m = cl.loadClass("ReadmeSnippet").getMethod("run", Path.class, Path.class, Path.class, Path.class, Path.class);
            PrintStream err = System.err;
            try {
                System.setErr(new PrintStream(OutputStreamSink.INSTANCE, true, StandardCharsets.UTF_8));
                m.invoke(null, images, ws.resolve("snippet/variants"), model, ws.resolve("snippet/cache"), out);
            } finally {
                System.setErr(err);
            }
        }
        // three images × five variants, 32 features each
        Matrix z = Npy.readMatrix(out.resolve("emb.npy"));
        assertEquals(15, z.rows());
        assertEquals(32, z.cols());
    }

    /** Drops the snippet's progress line. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}
    }
}

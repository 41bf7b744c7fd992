package dev.repsim.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo study (data/demo: 26 photographs with masks, MobileNetV2 and the U²-Net-p encoder, five
 * variants) as a study file writing into a folder of the test's, and the comparison of two runs' outputs.
 */
final class DemoStudy {
    private DemoStudy() {}

    static final List<String> MODELS = List.of("mobilenet-v2", "u2netp-encoder");
    static final List<String> VARIANTS = List.of("full", "foreground", "background", "center", "border");
    /** Keys of results.json that say when and how long, not what. */
    private static final Set<String> NOT_RESULTS = Set.of("generated", "stageSeconds", "studyFile");

    static Path repo() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("data/demo/study.yaml"))) return p;
        }
        throw new IllegalStateException("no data/demo/study.yaml above " + Path.of("").toAbsolutePath());
    }

    /** The demo's study file with its output in {@code out}. */
    static Path file(Path dir, Path out) throws Exception {
        Path demo = repo().resolve("data/demo");
        String yaml = Files.readString(demo.resolve("study.yaml"))
                .replace("output: ../../out/demo", "output: " + out)
                .replace("images: images", "images: " + demo.resolve("images"))
                .replace("masks: masks", "masks: " + demo.resolve("masks"))
                .replace("onnx: ../../", "onnx: " + repo() + "/");
        Path f = dir.resolve(out.getFileName() + ".yaml");
        Files.writeString(f, yaml);
        return f;
    }

    /** Two runs made the same embeddings (bit for bit) and the same results.json, apart from times and paths. */
    static void assertSameOutputs(Path expected, Path actual) throws Exception {
        for (String m : MODELS) {
            for (String v : VARIANTS) {
                Matrix a = Npy.readMatrix(expected.resolve("embeddings").resolve(m).resolve(v + ".npy"));
                Matrix b = Npy.readMatrix(actual.resolve("embeddings").resolve(m).resolve(v + ".npy"));
                assertEquals(a.rows(), b.rows(), m + "/" + v);
                assertArrayEquals(a.f32(), b.f32(), m + "/" + v + ": embeddings");
            }
        }
        int leaves = assertSameResults(expected, actual);
        assertTrue(leaves > 500, "compared only " + leaves + " values");
        assertTrue(Files.isRegularFile(actual.resolve("report.html")), "report.html");
    }

    /** Two runs wrote the same results.json (every value exactly), apart from times and paths; returns the values compared. */
    static int assertSameResults(Path expected, Path actual) throws Exception {
        ObjectMapper om = new ObjectMapper();
        JsonNode a = om.readTree(expected.resolve("results.json").toFile()), b = om.readTree(actual.resolve("results.json").toFile());
        return compare(a, b, "results.json");
    }

    private static int compare(JsonNode a, JsonNode b, String where) {
        assertEquals(a.getNodeType(), b.getNodeType(), where);
        if (a.isObject()) {
            assertEquals(iterable(a.fieldNames()), iterable(b.fieldNames()), where);
            int n = 0;
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!NOT_RESULTS.contains(e.getKey())) n += compare(e.getValue(), b.get(e.getKey()), where + "." + e.getKey());
            }
            return n;
        }
        if (a.isArray()) {
            assertEquals(a.size(), b.size(), where);
            int n = 0;
            for (int i = 0; i < a.size(); i++) n += compare(a.get(i), b.get(i), where + "[" + i + "]");
            return n;
        }
        assertEquals(a, b, where);
        return 1;
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}

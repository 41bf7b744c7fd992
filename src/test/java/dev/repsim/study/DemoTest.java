package dev.repsim.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** {@code repsim demo} runs on the shipped photographs end to end and its report renders in Chromium. */
class DemoTest {

    @Test
    void demoRunsOnShippedDataAndItsReportRenders(@TempDir Path dir) throws Exception {
        Path repo = Path.of("").toAbsolutePath();
        assertEquals(0, Main.execute("demo", "--repo", repo.toString(), "--out", dir.resolve("demo").toString()));
        JsonNode r = new ObjectMapper().readTree(dir.resolve("demo/results.json").toFile());
        assertEquals(26, r.get("n").asInt());
        assertEquals(2, r.get("models").size());
        assertEquals("mobilenet-v2", r.get("models").get(0).get("name").asText());
        assertEquals(1280, r.get("models").get(0).get("width").asInt());
        assertEquals("u2netp-encoder", r.get("models").get(1).get("name").asText());
        assertEquals(64, r.get("models").get(1).get("width").asInt());
        // the full variant of every image is itself: self-similarity 1 on the diagonal
        assertEquals(1.0, r.get("variantSimilarity").get("u2netp-encoder").get("linear-cka").get(0).get(0).asDouble(), 1e-9);
        String html = Files.readString(dir.resolve("demo/report.html"));
        // the report's reading of the numbers names each model's variant closest to the full image, as results.json has it
        for (String model : new String[]{"mobilenet-v2", "u2netp-encoder"}) {
            JsonNode full = r.get("variantSimilarity").get(model).get("linear-cka").get(0);
            int best = 1;
            for (int v = 2; v < 5; v++) if (full.get(v).asDouble() > full.get(best).asDouble()) best = v;
            String expect = String.format(java.util.Locale.ROOT, "%s keeps most of its full-image representation in %s (%.3f)",
                    model, r.get("variants").get(best).asText(), full.get(best).asDouble());
            assertTrue(html.contains(expect), "report lacks: " + expect);
        }
        // README's result table is this run's linear CKA of each variant against full (printed to 3 decimals)
        String readme = Files.readString(repo.resolve("README.md"));
        for (String model : new String[]{"mobilenet-v2", "u2netp-encoder"}) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\| " + model + " \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\|")
                    .matcher(readme);
            assertTrue(m.find(), "README has no result row for " + model);
            JsonNode full = r.get("variantSimilarity").get(model).get("linear-cka").get(0);
            for (int v = 1; v < 5; v++) {
                assertEquals(full.get(v).asDouble(), Double.parseDouble(m.group(v)), 0.0015, "README's " + model + " " + r.get("variants").get(v).asText());
            }
        }
        // 5 example variants + 2 models × 3 metrics + 5 variants × 3 metrics + 2 share charts + 2 compositions + 2 UMAPs
        assertEquals(5 + 6 + 15 + 2 + 2 + 2, html.split("<img ", -1).length - 1);
        ReportRenderTest.assertFiguresRender(dir.resolve("demo/report.html"), dir, 30);
    }
}

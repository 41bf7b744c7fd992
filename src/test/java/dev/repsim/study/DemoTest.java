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
        // the full variant of every image is itself: self-similarity 1 on the diagonal
        assertEquals(1.0, r.get("variantSimilarity").get("tiny-vit").get("linear-cka").get(0).get(0).asDouble(), 1e-9);
        String html = Files.readString(dir.resolve("demo/report.html"));
        // 5 example variants + 2 models × 3 metrics + 5 variants × 3 metrics + 2 share charts + 2 compositions + 2 UMAPs
        assertEquals(5 + 6 + 15 + 2 + 2 + 2, html.split("<img ", -1).length - 1);
        ReportRenderTest.assertFiguresRender(dir.resolve("demo/report.html"), dir, 30);
    }
}

package dev.repsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class DevicesCommandTest {

    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute(args));
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsDevicesWithLimitsAndTheAutoChoice() {
        String out = run("devices");
        assertTrue(out.contains("  0: "), out);
        assertTrue(out.contains("global mem") && out.contains("local mem") && out.contains("compute units")
                && out.contains("max work-group") && out.contains("fp64"), out);
        assertTrue(out.contains("--backend auto picks: "), out);
    }

    @Test
    void jsonIsOneObject() throws Exception {
        JsonNode j = new ObjectMapper().readTree(run("devices", "--json"));
        assertTrue(j.get("opencl_devices").size() >= 1);
        JsonNode d = j.get("opencl_devices").get(0);
        for (String f : new String[] {"name", "platform", "type", "global_mem_bytes", "local_mem_bytes", "compute_units",
                "max_work_group_size", "fp64"}) assertTrue(d.has(f), f);
        assertTrue(j.get("auto").asText().length() > 0);
    }

    @Test
    void saysWhatAutoPicksForEachMetricAtAGivenSize() throws Exception {
        JsonNode j = new ObjectMapper().readTree(run("devices", "--json", "--n", "20000", "--d", "768"));
        org.junit.jupiter.api.Assumptions.assumeFalse(j.get("auto").asText().startsWith("opencl"), "an OpenCL GPU is present: auto means the GPU");
        JsonNode a = j.get("auto_picks");
        assertEquals(20000, a.get("n").asInt());
        assertEquals(768, a.get("d").asInt());
        assertEquals("f64", a.get("precision").asText());
        for (dev.repsim.metrics.Metric m : dev.repsim.metrics.Metric.values()) {
            JsonNode p = a.get("metrics").get(m.label());
            assertNotNull(p, m.label());
            assertTrue(java.util.Set.of("java", "blas").contains(p.get("backend").asText()), p.toString());
            assertTrue(p.get("reason").asText().startsWith(p.get("backend").asText()) || p.get("reason").asText().startsWith("blas by default"), p.toString());
        }
        String text = run("devices", "--n", "20000", "--d", "768");
        assertTrue(text.contains("At n=20000, d=768, f64:"), text);
    }

    @Test
    void aSizeNeedsBothNAndD() {
        CliRun r = CliRun.of("devices", "--n", "1000");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--n and --d go together"), r.err());
    }
}

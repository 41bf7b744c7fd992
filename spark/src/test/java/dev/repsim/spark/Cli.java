package dev.repsim.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One repsim command line run in this JVM (exit status, stdout, stderr), as the core's tests run it
 * (their CliRun is not on this module's class path). Runs are serialised: the streams are process-wide.
 */
record Cli(int status, String out, String err) {

    static synchronized Cli run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    java.util.List<String> errLines() {
        return err.lines().toList();
    }

    /** The JSON a successful {@code --json} run printed. */
    JsonNode json() throws Exception {
        assertEquals(0, status, "exit status; stderr:\n" + err);
        return new ObjectMapper().readTree(out);
    }

    /** Every metric and canonical correlation of {@code actual} equals {@code expected}'s within 1e-9 relative; n, dx and dy exactly. */
    static void assertSameResult(JsonNode expected, JsonNode actual, String what) {
        for (String k : new String[]{"n", "dx", "dy"}) assertEquals(expected.get(k).asLong(), actual.get(k).asLong(), what + ": " + k);
        assertEquals(expected.get("metrics").size(), actual.get("metrics").size(), what + ": metrics " + actual.get("metrics"));
        expected.get("metrics").properties().forEach(e -> close(e.getValue().asDouble(), actual.get("metrics").get(e.getKey()).asDouble(), what + ": " + e.getKey()));
        JsonNode rho = expected.get("cca-correlations");
        if (rho != null) {
            assertEquals(rho.size(), actual.get("cca-correlations").size(), what + ": canonical correlations");
            for (int i = 0; i < rho.size(); i++) close(rho.get(i).asDouble(), actual.get("cca-correlations").get(i).asDouble(), what + ": rho[" + i + "]");
        }
    }

    private static void close(double expected, double actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1e-9 * Math.abs(expected), what + ": expected " + expected + ", got " + actual);
    }
}

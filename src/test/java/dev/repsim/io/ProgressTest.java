package dev.repsim.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

class ProgressTest {
    private static String run(boolean tty) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (Progress p = new Progress("stage", 3, "items", new PrintStream(b, true, StandardCharsets.UTF_8), tty)) {
            p.advance(3);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shortWorkLeavesOneLineInALog() {
        String log = run(false);
        assertEquals(1, log.lines().count(), log);
        assertTrue(log.startsWith("stage: 3/3 items (100%)"), log);
    }

    @Test
    void shortWorkStaysQuietOnATerminal() {
        assertEquals("", run(true));
    }
}

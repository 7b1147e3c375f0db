package io.biu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class BiuCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return BiuCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void versionPrintsTheClientVersion() {
        assertEquals(0, run("version"));
        assertTrue(out.toString().startsWith("biu development (Java "), out.toString());
    }

    @Test
    void unknownCommandIsAUsageErrorThatNamesIt() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err.toString().contains("'frobnicate'"), err.toString());
        assertTrue(err.toString().contains("Usage: biu"), err.toString());
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(2, run());
        assertTrue(err.toString().contains("a command is needed"), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString().contains("version"), out.toString());
    }
}

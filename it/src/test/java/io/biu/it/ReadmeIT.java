package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The README's five-minute tour works as written: its command blocks (fenced as {@code ```sh tour}) run in order in
 * one shell ({@code set -eo pipefail}, so variables carry from block to block as in a reader's terminal) against the
 * running instance, each within a time limit. And the client's progress output, captured by
 * {@code scripts/tour-capture.sh}, is one redrawn line on a terminal and plain lines through a pipe. While the tour
 * runs, no process shows a token or a password on its command line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadmeIT {

    /** Longer than any block takes on the lab (the slowest waits for a scale-out: well under a minute). */
    private static final Duration BLOCK_LIMIT = Duration.ofMinutes(3);
    private static final Pattern TOUR_BLOCK = Pattern.compile("(?m)^```sh tour\\n(.*?)^```$", Pattern.DOTALL);
    private static final String TENANT = "demo";
    private static final String TOUR_CLUSTER = "shop";

    private final Lab lab = Lab.get();
    private final Map<String, String> env;
    private Scheduler demo;
    private String demoToken;
    private int webReplicas;

    ReadmeIT() {
        env = Map.of("BIU_INSTANCE", lab.instance, "BIU_DATA_DIR", lab.dataDir.toString());
    }

    @BeforeAll
    void rememberTheDemoWebApp() {
        Scheduler operator = Scheduler.operator(lab);
        Scheduler.ensureLabPod(operator, TENANT);
        demoToken = operator.issueTenantToken(TENANT);
        demo = operator.as(demoToken);
        webReplicas = demo.get("/apps/" + lab.service("web.app") + "/containers").expect(200).body().size();
        removeTourCluster();
    }

    @AfterAll
    void cleanUp() {
        try {
            removeTourCluster();
        } finally {
            demo.put("/apps/" + lab.service("web.app") + "/scale", Map.of("replicas", webReplicas));
        }
    }

    @Test
    void theTourRunsAsWrittenBlockByBlock() throws Exception {
        List<String> blocks = tourBlocks();
        assertTrue(blocks.size() >= 5, "the README's tour has its blocks: " + blocks);
        Path script = Files.createTempFile("readme-tour", ".sh");
        Path output = Files.createTempFile("readme-tour", ".log");
        StringBuilder text = new StringBuilder("set -eo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            text.append("echo '@@ block ").append(i + 1).append("'\n").append(blocks.get(i))
                    .append("echo '@@ block ").append(i + 1).append(" ok'\n");
        }
        Files.writeString(script, text);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).directory(lab.root.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("BIU_") || k.startsWith("REDISCLI_"));
        pb.environment().putAll(env);
        CommandLines commandLines = CommandLines.watch();
        Process shell = pb.start();
        try {
            for (int i = 1; i <= blocks.size(); i++) {
                String done = "@@ block " + i + " ok\n";
                String block = blocks.get(i - 1);
                try {
                    await("block " + i).atMost(BLOCK_LIMIT).pollInterval(Duration.ofMillis(200))
                            .until(() -> read(output).contains(done) || !shell.isAlive());
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("block " + i + " of the tour took over " + BLOCK_LIMIT + ":\n" + block
                            + "\nthe shell printed:\n" + read(output), e);
                }
                assertTrue(read(output).contains(done), "block " + i + " of the tour failed (exit "
                        + shell.waitFor() + "):\n" + block + "\nthe shell printed:\n" + read(output));
            }
            assertEquals(0, shell.waitFor(), read(output));

            // what another local user's ps showed meanwhile: no token, no password
            commandLines.close();
            assertTrue(commandLines.sweeps() > 100 && commandLines.ours() > 20, "the process table was read: "
                    + commandLines.sweeps() + " times, " + commandLines.seen() + " command lines, "
                    + commandLines.ours() + " of the tour's");
            List<String> secrets = new java.util.ArrayList<>(List.of(
                    Files.readString(lab.dataDir.resolve("operator.token")).trim(), demoToken));
            try (var files = Files.list(lab.dataDir.resolve("secrets"))) {
                for (Path f : files.toList()) {
                    if (!f.getFileName().toString().endsWith(".key")) {
                        secrets.add(Files.readString(f).trim());
                    }
                }
            }
            assertEquals(List.of(), commandLines.leaking(secrets), "command lines that show a token or a password");
        } finally {
            commandLines.close();
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
            System.out.println("[readme tour]\n" + read(output));
            Files.deleteIfExists(script);
            Files.deleteIfExists(output);
        }
    }

    @Test
    void progressIsRedrawnOnATerminalAndPlainThroughAPipe() throws Exception {
        String name = "tourcap-" + Long.toHexString(System.nanoTime() & 0xffffff);
        Path out = Files.createTempDirectory("tour-capture");
        Lab.Run capture = run(Duration.ofMinutes(5), lab.root.resolve("scripts/tour-capture.sh").toString(), name,
                out.toString());
        assertEquals(0, capture.exitCode(), capture.output());

        // in tmux: the progress line was on screen while the task ran, and the result took its place
        String frames = Files.readString(out.resolve("tty-frames.txt"));
        assertTrue(frames.matches("(?s).*\\n\\[\\d/\\d] [a-z-]+.*") || frames.contains("waiting for redis-ctl"),
                "a progress line in some frame: " + frames);
        String screen = Files.readString(out.resolve("tty-final.txt"));
        assertTrue(screen.contains("cluster " + name + "-tty ready in "), screen);
        assertFalse(screen.matches("(?s).*\\n\\[\\d/\\d] .*"), "no progress line is left on the screen: " + screen);

        // through a pipe: plain lines, one per change, no carriage return or escape sequence
        String piped = Files.readString(out.resolve("piped.txt"));
        assertTrue(piped.contains("cluster " + name + "-pipe ready in "), piped);
        assertTrue(piped.matches("(?s).*\\n\\[\\d/\\d] [a-z-]+.*"), "progress as plain lines: " + piped);
        assertFalse(piped.contains("\r") || piped.contains("\u001b"), "plain text only: " + piped);
    }

    /** The tour's command blocks, in order. */
    private List<String> tourBlocks() throws IOException {
        String readme = Files.readString(lab.root.resolve("README.md"));
        List<String> blocks = new ArrayList<>();
        Matcher m = TOUR_BLOCK.matcher(readme);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** The tour cleans up after itself; this is for a tour that failed halfway (or an earlier run's leftovers). */
    private void removeTourCluster() {
        Lab.Run endpoints = lab.biu(env, "endpoint", "list", TOUR_CLUSTER, "--tenant", TENANT, "-o", "json");
        Matcher id = Pattern.compile("\"id\"\\s*:\\s*(\\d+)").matcher(endpoints.output());
        if (endpoints.exitCode() == 0 && id.find()) {
            lab.biu(env, "endpoint", "revoke", id.group(1), "--tenant", TENANT);
        }
        lab.biu(env, "cluster", "delete", TOUR_CLUSTER, "--tenant", TENANT, "--yes");
    }

    private Lab.Run run(Duration limit, String... command) throws Exception {
        Path output = Files.createTempFile("tour-capture", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(lab.root.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File(
                        "/dev/null")));
        pb.environment().keySet().removeIf(k -> k.startsWith("BIU_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError(String.join(" ", command) + " took over " + limit + ":\n" + read(output));
            }
            return new Lab.Run(p.exitValue(), read(output));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.biu.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code ./biu} as an operator meets it: usage errors, idempotent verbs, and an up/down cycle of an
 * instance of its own that must leave nothing behind, while the instance the other scenarios use keeps
 * running.
 */
class BiuScriptIT {

    /** An instance only this class uses; one lab node keeps the cycle short. */
    private static final String CYCLE = "biuchk";

    private final Lab lab = Lab.get();

    private Lab.Run biu(Map<String, String> env, String... args) {
        return Lab.biu(lab.root, env, Duration.ofMinutes(5), args);
    }

    private void assertUsageError(Lab.Run run, String message) {
        assertEquals(2, run.exitCode(), run.output());
        assertTrue(run.output().contains(message), "expected '" + message + "' in: " + run.output());
        assertTrue(run.output().contains("Usage:"), "expected usage in: " + run.output());
    }

    @Test
    void badVerbsAndOptionsPrintUsageAndExitNonZero() {
        Map<String, String> env = Map.of("BIU_INSTANCE", lab.instance);
        assertUsageError(biu(env), "a verb is needed");
        assertUsageError(biu(env, "--frobnicate"), "unknown option '--frobnicate'");
        assertUsageError(biu(env, "frobnicate"), "'frobnicate'");
        assertUsageError(biu(env, "up", "--fast"), "unknown option for up: --fast");
        assertUsageError(biu(env, "down", "now"), "down takes no arguments");
        assertUsageError(biu(env, "lab"), "lab needs a verb");
        assertUsageError(biu(env, "lab", "explode"), "unknown lab verb 'explode'");
        assertUsageError(biu(env, "lab", "partition", "node9"), "unknown node 'node9'");
        assertUsageError(biu(env, "lab", "crash"), "unknown node ''");
        assertUsageError(biu(env, "test", "everything"), "unknown test mode 'everything'");
        assertUsageError(biu(env, "bench", "--huge"), "unknown option for bench: --huge");
        assertUsageError(biu(env, "logs", "kernel"), "unknown log 'kernel'");
    }

    @Test
    void invalidSettingsAreRefusedWithWhatToUse() {
        Lab.Run badName = biu(Map.of("BIU_INSTANCE", "Not-Valid"), "status");
        assertEquals(2, badName.exitCode(), badName.output());
        assertTrue(badName.output().contains("use 1-8 lower-case letters or digits"), badName.output());
        Lab.Run badNodes = biu(Map.of("BIU_INSTANCE", lab.instance, "BIU_NODES", "0"), "status");
        assertEquals(2, badNodes.exitCode(), badNodes.output());
        assertTrue(badNodes.output().contains("from 1 to 9"), badNodes.output());
    }

    @Test
    void secondUpOfARunningInstanceIsANoOpThatSaysSo() {
        Lab.Run up = biu(Map.of("BIU_INSTANCE", lab.instance), "up", "--no-build");
        assertEquals(0, up.exitCode(), up.output());
        assertTrue(up.output().contains("is already running: nothing to do"), up.output());
        assertFalse(up.output().contains("starting"), "nothing should be started again: " + up.output());

        Lab.Run status = biu(Map.of("BIU_INSTANCE", lab.instance), "status");
        assertEquals(0, status.exitCode(), status.output());
        for (String part : List.of("node1", "bus", "influxdb", "postgres", "scheduler", "redis-ctl",
                "redis-monitor", "admin")) {
            assertTrue(status.output().matches("(?s).*\\n\\s+" + part + "\\s+up\\s.*"), part + " not up: "
                    + status.output());
        }
    }

    @Test
    void downOfAnInstanceThatDoesNotRunSucceedsAndCreatesNothing() {
        Lab.Run down = biu(Map.of("BIU_INSTANCE", "biunone"), "down");
        assertEquals(0, down.exitCode(), down.output());
        assertTrue(down.output().contains("is not running: nothing to do"), down.output());
        assertEquals(List.of(), debris("biunone"));
    }

    @Test
    void upThenDownLeavesNothingBehindAndLeavesOtherInstancesAlone() throws IOException {
        // with the demo cluster and its endpoint, as a newcomer's first ./biu up makes them
        Map<String, String> env = Map.of("BIU_INSTANCE", CYCLE, "BIU_NODES", "1",
                "BIU_NET_INDEX", String.valueOf(otherNetIndex()));
        biu(env, "down");
        try {
            Lab.Run up = biu(env, "up", "--no-build");
            assertEquals(0, up.exitCode(), up.output());
            assertTrue(up.output().contains("instance " + CYCLE + " is up"), up.output());
            assertTrue(up.output().contains("redis-cli -h "), "up ends with how to connect to the demo cluster: "
                    + up.output());
            String password = Files.readString(Path.of("/var/lib/biu", CYCLE, "secrets", "demo-endpoint.password"))
                    .trim();
            assertTrue(password.length() >= 16, "a password was kept");
            assertFalse(up.output().contains(password), "up names where the password is, never the password");
            assertTrue(debris(CYCLE).size() >= 5, "up should have created a namespace, links, daemons and "
                    + "directories to remove: " + debris(CYCLE));
        } finally {
            Lab.Run down = biu(env, "down");
            assertEquals(0, down.exitCode(), down.output());
        }
        assertEquals(List.of(), debris(CYCLE), "down left these behind");

        Lab.Run status = lab.biu("lab", "status");
        assertFalse(status.output().matches("(?s).*node\\d\\s+(absent|crashed).*"),
                "the instance the other scenarios use was disturbed: " + status.output());
    }

    /**
     * The data directory holds tokens, passwords, databases and logs: no user but root can read any file in it, even
     * knowing its name; the two services that run as users of their own pass through to their directories only.
     * Checked the way such a user would try: by opening every file (Docker's own directories aside, which
     * must not be open to anyone either).
     */
    @Test
    void noUserButRootReadsTheDataDirectory() throws IOException {
        List<String> files = new ArrayList<>();
        Files.walkFileTree(lab.dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                files.add(dir.toString());
                boolean docker = dir.getFileName().toString().equals("docker")
                        && dir.getParent().getParent().equals(lab.dataDir.resolve("nodes"));
                return docker ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                files.add(file.toString());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile (a rotated log, a temp file)
            }
        });
        assertTrue(files.size() > 50, "the walk found the instance's files: " + files.size());
        assertTrue(files.stream().anyMatch(f -> f.endsWith("operator.token")), "the operator token is among them");
        String nginxTemp = lab.dataDir.resolve("nginx/tmp") + "/";
        List<String> byNobody = readableAs("nobody", files).stream().filter(f -> !f.startsWith(nginxTemp)).toList();
        assertEquals(List.of(), byNobody, "readable by user nobody (nginx's workers), outside their temp files");
        String postgres = lab.dataDir.resolve("postgres").toString();
        List<String> byPostgres = readableAs("postgres", files).stream()
                .filter(f -> !f.equals(postgres) && !f.startsWith(postgres + "/")
                        && !f.equals(lab.dataDir.resolve("logs/postgres.log").toString()))
                .toList();
        assertEquals(List.of(), byPostgres, "readable by user postgres, outside its own files");
        // ... and both still reach their own
        assertEquals(List.of(postgres + "/data"), readableAs("postgres", List.of(postgres + "/data")));
        String clientBodies = lab.dataDir.resolve("nginx/tmp/client_body").toString();
        assertEquals(List.of(clientBodies), readableAs("nobody", List.of(clientBodies)));
        for (Lab.Node node : lab.nodes()) {
            Path docker = lab.dataDir.resolve("nodes").resolve(node.name()).resolve("docker");
            if (Files.exists(docker)) {
                assertTrue(Files.getPosixFilePermissions(docker).stream()
                        .noneMatch(p -> p.name().startsWith("OTHERS")),
                        docker + ": " + Files.getPosixFilePermissions(docker));
            }
        }
    }

    /** Which of the paths a user can open for reading (a directory: list), asked as that user. */
    private static List<String> readableAs(String user, List<String> paths) throws IOException {
        Process p = new ProcessBuilder("setpriv", "--reuid=" + user, "--regid=" + user.replace("nobody", "nogroup"),
                "--clear-groups", "xargs", "-0", "-r", "sh", "-c", "for f; do [ -r \"$f\" ] && echo \"$f\"; done; true",
                "sh").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(String.join("\0", paths).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            assertEquals(0, p.waitFor(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return out.lines().filter(l -> !l.isBlank()).toList();
    }

    /** A network index that differs from the test instance's, so both labs can run at once. */
    private int otherNetIndex() {
        int mine = Integer.parseInt(lab.lab("net.index"));
        return mine == 63 ? 62 : mine + 1;
    }

    /**
     * Everything of an instance that could outlive it: namespaces, network links, data and run
     * directories, cgroups, mounts and processes that mention its directories.
     */
    private static List<String> debris(String instance) {
        List<String> found = new ArrayList<>();
        String prefix = instance + "-";
        found.addAll(matching(Path.of("/run/netns"), prefix));
        found.addAll(matching(Path.of("/sys/class/net"), prefix));
        for (Path dir : List.of(Path.of("/var/lib/biu", instance), Path.of("/run/biu", instance))) {
            if (Files.exists(dir)) {
                found.add(dir.toString());
            }
        }
        try (DirectoryStream<Path> controllers = Files.newDirectoryStream(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers) {
                found.addAll(matching(controller, prefix));
            }
        } catch (IOException e) {
            found.add("cannot list /sys/fs/cgroup: " + e);
        }
        String dataDir = "/var/lib/biu/" + instance + "/";
        String runDir = "/run/biu/" + instance + "/";
        try {
            Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" ")[4])
                    .filter(m -> m.startsWith(dataDir) || m.startsWith(runDir))
                    .forEach(m -> found.add("mount " + m));
        } catch (IOException e) {
            found.add("cannot read mountinfo: " + e);
        }
        ProcessHandle.allProcesses().forEach(p -> {
            String line = String.join(" ", p.info().arguments().orElse(new String[0]));
            String cwd = cwdOf(p.pid());
            if (line.contains(dataDir) || line.contains(runDir) || cwd.startsWith(dataDir)) {
                found.add("process " + p.pid() + ": " + p.info().command().orElse("?") + " " + line + " in " + cwd);
            }
        });
        return found;
    }

    private static String cwdOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")).toString() + "/";
        } catch (IOException gone) {
            return "";
        }
    }

    private static List<String> matching(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix))
                    .map(n -> dir.resolve(n).toString()).toList();
        } catch (IOException e) {
            return List.of("cannot list " + dir + ": " + e);
        }
    }
}

package io.biu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Created;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskView;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client run in-process: usage, help, and how failures become messages and exit codes. */
class BiuCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Map<String, String> env = new HashMap<>();

    private int run(String... args) {
        env.putIfAbsent("BIU_DATA_DIR", dir.toString());
        Environment environment = new Environment(env, dir.resolve("home"), false, Duration.ofMillis(5));
        return BiuCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
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
        for (String command : List.of("cluster", "endpoint", "connect", "pod", "node", "token", "events", "version")) {
            assertTrue(out.toString().contains("  " + command + " "), command + " missing from: " + out);
        }
    }

    @Test
    void everyCommandHasHelpWithAnExample() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new BiuCommand(null)), new ArrayList<>(), paths);
        assertTrue(paths.size() > 30, "commands found: " + paths);
        for (List<String> path : paths) {
            out.getBuffer().setLength(0);
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            assertEquals(0, run(args.toArray(String[]::new)), String.join(" ", args) + ": " + err);
            assertTrue(out.toString().contains("Example"), "no example in help of " + path + ":\n" + out);
        }
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> here = new ArrayList<>(path);
                here.add(name);
                paths.add(here);
                collect(sub, here, paths);
            }
        });
    }

    @Test
    void invalidSizesAreUsageErrorsBeforeAnyServiceIsCalled() {
        assertEquals(2, run("cluster", "create", "shop", "--masters", "0"));
        assertTrue(err.toString().contains("--masters must be at least 1"), err.toString());
        assertEquals(2, run("cluster", "create", "shop", "--replicas", "-1"));
        assertEquals(2, run("cluster", "create", "shop", "--memory", "lots"));
        assertTrue(err.toString().contains("write e.g. 256MiB"), err.toString());
        assertEquals(2, run("cluster", "create", "shop", "--cpu", "zero"));
        assertEquals(2, run("cluster", "scale", "shop", "--masters", "0"));
        assertEquals(2, run("cluster", "policy", "set", "shop", "--scale-out-at", "120%"));
        assertEquals(2, run("cluster", "delete", "shop"));
        assertTrue(err.toString().contains("add --yes"), err.toString());
        assertEquals(2, run("cluster", "list", "--output", "yaml"));
    }

    @Test
    void withoutATokenTheExitCodeIsFourAndTheMessageSaysWhereTokensComeFrom() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir);
            assertEquals(4, run("cluster", "list"));
            assertTrue(err.toString().contains("no token") && err.toString().contains("BIU_TOKEN"), err.toString());
            assertTrue(stub.requests.isEmpty(), "no call without a token: " + stub.requests);
        }
    }

    @Test
    void theOperatorTokenOfTheInstanceIsUsedWhenNothingElseIsGiven() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir);
            Files.writeString(dir.resolve("operator.token"), "bootstrap\n");
            stub.on("GET /pods", 200, Replies.json(List.of(Replies.pod("lab", List.of("demo")))));
            assertEquals(0, run("pod", "list"));
            assertEquals(List.of("Bearer bootstrap"), stub.tokens);
            assertTrue(out.toString().matches("(?s)NAME\\s+GRANULARITY.*\\nlab\\s+0\\.01 cores.*demo\\n"), out.toString());
        }
    }

    @Test
    void aWrongTokenIsExitCodeFour() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /clusters", 401, "{\"error\":\"UNAUTHENTICATED\",\"message\":\"the token is "
                    + "unknown or revoked\"}");
            env.put("BIU_TOKEN", "wrong");
            assertEquals(4, run("cluster", "list"));
            assertTrue(err.toString().contains("redis-ctl: the token is unknown or revoked"), err.toString());
        }
    }

    @Test
    void anUnknownClusterIsExitCodeOneAndPointsAtTheList() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /clusters", 200, "[]");
            env.put("BIU_TOKEN", "t");
            assertEquals(1, run("cluster", "show", "shop"));
            assertTrue(err.toString().contains("no cluster 'shop'") && err.toString().contains("biu cluster create"),
                    err.toString());
        }
    }

    @Test
    void aServerErrorIsExitCodeOneAndPointsAtTheLogs() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /nodes", 500, "{\"error\":\"INTERNAL_SERVER_ERROR\",\"message\":\"boom\"}");
            env.put("BIU_TOKEN", "t");
            assertEquals(1, run("node", "list"));
            assertTrue(err.toString().contains("scheduler: boom") && err.toString().contains("./biu logs scheduler"),
                    err.toString());
        }
    }

    @Test
    void servicesThatDoNotAnswerAreExitCodeThreeAndNameTheirAddress() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Files.writeString(dir.resolve("services.properties"), "redis-ctl.url=http://127.0.0.1:" + closed + "\n");
        env.put("BIU_TOKEN", "t");
        assertEquals(3, run("cluster", "list"));
        assertTrue(err.toString().contains("cannot reach the redis-ctl at http://127.0.0.1:" + closed), err.toString());
        assertTrue(err.toString().contains("./biu status"), err.toString());
    }

    @Test
    void anInstanceThatIsNotUpIsExitCodeThree() {
        env.put("BIU_DATA_DIR", dir.resolve("nothing").toString());
        env.put("BIU_TOKEN", "t");
        assertEquals(3, run("cluster", "list"));
        assertTrue(err.toString().contains("it is not up") && err.toString().contains("./biu up"), err.toString());
    }

    @Test
    void createFollowsTheTaskAndEndsWithOneLine() throws IOException {
        try (StubServices stub = new StubServices()) {
            ClusterView shop = Replies.cluster(1, "shop", ClusterState.READY);
            stub.dataDir(dir)
                    .on("POST /clusters", 202, Replies.json(new Created(1, 5, "pw", shop)))
                    .on("GET /tasks/5", 200, Replies.json(Replies.task(5, TaskKind.FORM, TaskState.RUNNING, "deploy", 0,
                            "", null)))
                    .on("GET /tasks/5", 200, Replies.json(Replies.task(5, TaskKind.FORM, TaskState.RUNNING,
                            "await-ready", 1, "0 of 1 ready", null)))
                    .on("GET /tasks/5", 200, Replies.json(Replies.task(5, TaskKind.FORM, TaskState.RUNNING,
                            "await-ready", 1, "0 of 1 ready", null)))
                    .on("GET /tasks/5", 200, Replies.json(Replies.task(5, TaskKind.FORM, TaskState.DONE, null, 6, "ok",
                            null)))
                    .on("GET /clusters/1", 200, Replies.json(shop));
            env.put("BIU_TOKEN", "t");
            assertEquals(0, run("cluster", "create", "shop", "--pod", "lab", "--masters", "1", "--replicas", "0"));
            String[] lines = out.toString().split("\n");
            assertTrue(lines[0].contains("password (shown only now, keep it): pw"), out.toString());
            assertEquals("[1/6] deploy", lines[1]);
            assertEquals("[2/6] await-ready: 0 of 1 ready", lines[2]);
            assertTrue(lines[3].matches("cluster shop ready in \\d+\\.\\d s: 1 master, 0 replicas"), out.toString());
            assertFalse(out.toString().contains("\r"));
        }
    }

    @Test
    void showSaysWhetherTheInstancesBusHasTls() throws IOException {
        ClusterView shop = Replies.cluster(1, "shop", ClusterState.READY);
        ClusterView old = new ClusterView(2, "old", shop.tenant(), shop.pod(), shop.state(), shop.masters(),
                shop.replicas(), shop.cpu(), shop.memory(), shop.maxmemory(), shop.persistence(), shop.eviction(),
                shop.instances(), null, null, shop.createdAt(), false);
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /clusters", 200, Replies.json(List.of(shop, old)))
                    .on("GET /clusters/1", 200, Replies.json(shop))
                    .on("GET /clusters/2", 200, Replies.json(old));
            env.put("BIU_TOKEN", "t");
            assertEquals(0, run("cluster", "show", "shop"));
            assertTrue(out.toString().contains("  instances' bus: mutual TLS under the cluster's own key"),
                    out.toString());
            out.getBuffer().setLength(0);
            assertEquals(0, run("cluster", "show", "old"));
            assertTrue(out.toString().contains("  instances' bus: plain, made before TLS: any process that reaches it "
                    + "can join it"), out.toString());
        }
    }

    @Test
    void aFailedTaskIsExitCodeOneAndNamesTheStep() throws IOException {
        try (StubServices stub = new StubServices()) {
            ClusterView shop = Replies.cluster(1, "shop", ClusterState.READY);
            TaskView deletion = Replies.task(9, TaskKind.DELETE, TaskState.PENDING, "remove-containers", 0, "", null);
            stub.dataDir(dir)
                    .on("GET /clusters", 200, Replies.json(List.of(shop)))
                    .on("GET /clusters/1", 200, Replies.json(shop))
                    .on("DELETE /clusters/1", 202, Replies.json(deletion))
                    .on("GET /tasks/9", 200, Replies.json(Replies.task(9, TaskKind.DELETE, TaskState.FAILED,
                            "remove-app", 1, "", "node3 is down")));
            env.put("BIU_TOKEN", "t");
            assertEquals(1, run("cluster", "delete", "shop", "--yes"));
            assertTrue(err.toString().contains("failed at step remove-app: node3 is down"), err.toString());
        }
    }

    @Test
    void resumeFollowsTheResumedTaskFromTheStepItFailedAt() throws IOException {
        try (StubServices stub = new StubServices()) {
            ClusterView shop = Replies.cluster(1, "shop", ClusterState.FAILED);
            stub.dataDir(dir)
                    .on("GET /clusters", 200, Replies.json(List.of(shop)))
                    .on("GET /clusters/1", 200, Replies.json(shop))
                    .on("POST /clusters/1/resume", 202, Replies.json(Replies.task(9, TaskKind.REBALANCE,
                            TaskState.PENDING, "migrate", 1, "", null)))
                    .on("GET /tasks/9", 200, Replies.json(Replies.task(9, TaskKind.REBALANCE, TaskState.RUNNING,
                            "migrate", 1, "moved 1 of 2 slots", null)))
                    .on("GET /tasks/9", 200, Replies.json(Replies.task(9, TaskKind.REBALANCE, TaskState.DONE, null, 3,
                            "", null)));
            env.put("BIU_TOKEN", "t");
            assertEquals(0, run("cluster", "resume", "shop"));
            assertTrue(stub.requests.contains("POST /clusters/1/resume"), stub.requests.toString());
            String[] lines = out.toString().split("\n");
            assertEquals("[2/3] migrate: moved 1 of 2 slots", lines[0]);
            assertTrue(lines[lines.length - 1].matches("the rebalance task of cluster shop resumed at step migrate and "
                    + "done in \\d+\\.\\d s"), out.toString());
        }
    }

    @Test
    void resumingAClusterThatIsNotFailedSaysWhy() throws IOException {
        try (StubServices stub = new StubServices()) {
            ClusterView shop = Replies.cluster(1, "shop", ClusterState.READY);
            stub.dataDir(dir)
                    .on("GET /clusters", 200, Replies.json(List.of(shop)))
                    .on("GET /clusters/1", 200, Replies.json(shop))
                    .on("POST /clusters/1/resume", 409, "{\"error\":\"CONFLICT\",\"message\":\"cluster 1 is ready, "
                            + "not failed: only a failed cluster is resumed\"}");
            env.put("BIU_TOKEN", "t");
            assertEquals(1, run("cluster", "resume", "shop"));
            assertTrue(err.toString().contains("redis-ctl: cluster 1 is ready, not failed"), err.toString());
        }
    }

    @Test
    void aFailedTaskPointsAtResume() throws IOException {
        try (StubServices stub = new StubServices()) {
            ClusterView shop = Replies.cluster(1, "shop", ClusterState.FAILED);
            stub.dataDir(dir)
                    .on("GET /clusters", 200, Replies.json(List.of(shop)))
                    .on("GET /clusters/1", 200, Replies.json(shop))
                    .on("POST /clusters/1/resume", 202, Replies.json(Replies.task(9, TaskKind.REBALANCE,
                            TaskState.PENDING, "migrate", 1, "", null)))
                    .on("GET /tasks/9", 200, Replies.json(Replies.task(9, TaskKind.REBALANCE, TaskState.FAILED,
                            "migrate", 1, "", "step migrate: no room for another master")));
            env.put("BIU_TOKEN", "t");
            assertEquals(1, run("cluster", "resume", "shop"));
            assertTrue(err.toString().contains("`biu cluster resume` goes on from that step"), err.toString());
        }
    }

    @Test
    void jsonOutputIsTheApisJson() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /clusters", 200, "[{\"id\":1,\"name\":\"shop\"}]");
            env.put("BIU_TOKEN", "t");
            assertEquals(0, run("cluster", "list", "-o", "json"));
            assertTrue(out.toString().replaceAll("\\s", "").equals("[{\"id\":1,\"name\":\"shop\"}]"), out.toString());
        }
    }
}

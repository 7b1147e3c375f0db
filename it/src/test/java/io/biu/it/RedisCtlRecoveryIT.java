package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.redisctl.client.SlotMoveStep;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskStep;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Deterministic crash recovery of slot moves: a redis-ctl process is halted right after each named step of
 * a migration task in turn (task steps, and the steps of a slot's move), alternately while a master joins and
 * while it is drained; another process takes the task over when its lease lapses and finishes it. After each
 * round no slot is left migrating or importing and every key written is there, with the client writing all
 * along. The same for formation and deletion, step by step. These processes run on a database of their own, so the
 * instance's redis-ctl cannot take their tasks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCtlRecoveryIT {

    private static final String TENANT = "ctl-recovery";
    /** Alternately hit by a join (even rounds) and a drain (odd rounds). */
    private static final List<String> STEPS = Stream.of(TaskKind.Join.FIX_OPEN_SLOTS, SlotMoveStep.IMPORTING,
            SlotMoveStep.MIGRATING, SlotMoveStep.KEYS_MOVED, SlotMoveStep.OWNED, SlotMoveStep.ANNOUNCED,
            TaskKind.Join.AWAIT_AGREEMENT, TaskKind.Drain.MIGRATE, TaskKind.Join.AWAIT_MEMBERS).map(TaskStep::id).toList();

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String name = "crashes-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private Path database;
    private Scheduler scheduler;
    private String token;
    private long id;
    private String password;

    private Map<String, String> settings(String crashAfter) {
        Map<String, String> s = new HashMap<>();
        s.put("datasources.default.url", "jdbc:h2:file:" + database.resolve("redis_ctl")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        s.put("datasources.default.driver-class-name", "org.h2.Driver");
        s.put("datasources.default.username", "sa");
        s.put("datasources.default.password", "");
        s.put("biu.redis-ctl.task-lease", "2s");
        s.put("biu.redis-ctl.task-takeover-grace", "700ms");
        s.put("biu.redis-ctl.task-poll", "200ms");
        s.put("biu.redis-ctl.drain-grace", "2s");
        if (crashAfter != null) {
            s.put("biu.crash-after", crashAfter);
        }
        return s;
    }

    private ServiceProcess redisCtl(String processName, String crashAfter) throws Exception {
        return ServiceProcess.start(lab, "redis-ctl", processName, settings(crashAfter));
    }

    private Scheduler api(ServiceProcess p) {
        return operator.at(p.url).as(token);
    }

    @BeforeAll
    void setUp() throws Exception {
        database = Files.createTempDirectory("redis-ctl-recovery");
        Scheduler.ensureLabPod(operator, TENANT);
        token = operator.issueTenantToken(TENANT);
        scheduler = operator.as(token);
        try (ServiceProcess base = redisCtl("recovery-base", null)) {
            JsonNode created = api(base).post("/clusters", Map.of("name", name, "pod", "lab", "masters", 2,
                    "replicas", 0, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
            id = created.get("id").asLong();
            password = created.get("password").asText();
            awaitTask(api(base), created.get("taskId").asLong());
        }
    }

    @AfterAll
    void tearDown() throws Exception {
        try (ServiceProcess last = redisCtl("recovery-cleanup", null)) {
            Scheduler ctl = api(last);
            await("cluster deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                ctl.delete("/clusters/" + id);
                return ctl.get("/clusters/" + id).status() == 404;
            });
        }
    }

    /** Until the task is done (a failed task fails the test), within 90 s. */
    static JsonNode awaitTask(Scheduler ctl, long task) {
        return await("task " + task).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode t = ctl.get("/tasks/" + task).expect(200).body();
            assertNotEquals("failed", t.get("state").asText(), () -> "task failed: " + t);
            return t;
        }, t -> t.get("state").asText().equals("done"));
    }

    @Test
    void aMigrationHaltedAfterAnyStepIsFinishedByAnotherProcessLosingNothing() throws Exception {
        String seed;
        try (ServiceProcess look = redisCtl("recovery-look", null)) {
            seed = api(look).get("/clusters/" + id).expect(200).body().get("instances").get(0).get("address").asText();
        }
        try (VerifyingLoad load = new VerifyingLoad(seed, password)) {
            load.preload(5_000);
            load.start(2);
            Long joined = null;
            for (int round = 0; round < STEPS.size(); round++) {
                String step = STEPS.get(round);
                long task;
                try (ServiceProcess crashing = redisCtl("crash-" + step, step)) {
                    Scheduler ctl = api(crashing);
                    if (joined == null) {
                        long container = scheduler.post("/apps/redis-" + name + "/containers",
                                Map.of("count", 1, "role", "master")).expect(201).body().get(0).get("id").asLong();
                        await("container ready").atMost(Duration.ofSeconds(30)).until(() -> scheduler
                                .get("/containers/" + container).expect(200).body().get("ready").asBoolean());
                        task = ctl.post("/clusters/" + id + "/members", Map.of("members",
                                List.of(Map.of("container", container, "role", "master")))).expect(202).body()
                                .get("id").asLong();
                        joined = container;
                    } else {
                        long instance = instanceOf(ctl, joined);
                        task = ctl.post("/clusters/" + id + "/instances/" + instance + "/drain", Map.of())
                                .expect(202).body().get("id").asLong();
                    }
                    assertEquals(137, crashing.awaitExit(Duration.ofSeconds(60)), "halted after " + step);
                }
                try (ServiceProcess taker = redisCtl("resume-" + step, null)) {
                    Scheduler ctl = api(taker);
                    awaitTask(ctl, task);
                    if (round % 2 == 1) {
                        ctl.delete("/clusters/" + id + "/instances/" + instanceOf(ctl, joined)).expect(204);
                        joined = null;
                    }
                    assertNothingOpen(ctl);
                }
            }
            load.stop();
            System.out.println("recovery: " + load.writes() + " writes, " + load.reads() + " reads; "
                    + load.unroutable() + " commands held back while the client's view lacked a slot's owner");
            assertEquals(List.of(), load.errors().stream().limit(10).toList(), "client errors");
            assertTrue(load.writes() > 100, "writes were in flight: " + load.writes());
            List<String> bad = load.verify();
            assertEquals(List.of(), bad.stream().limit(10).toList(), bad.size() + " of " + load.acknowledgedKeys()
                    + " keys lost or changed");
        }
    }

    /**
     * Formation halted right after each of its steps in turn, then the deletion of the cluster halted after each of
     * its steps: a fresh process finishes each, leaving a cluster whose every instance says it is whole, and then
     * nothing of it, not even its app, in the scheduler.
     */
    @Test
    void aClusterFormedOrDeletedByAProcessHaltedAfterAnyStepIsFinishedByAnother() throws Exception {
        List<String> deletionSteps = Stream.of(TaskKind.Delete.values()).map(TaskStep::id).toList();
        for (TaskKind.Form step : TaskKind.Form.values()) {
            String cluster = name + "-f" + step.ordinal();
            long created;
            long formation;
            String clusterPassword;
            try (ServiceProcess crashing = redisCtl("form-" + step.id(), step.id())) {
                JsonNode c = api(crashing).post("/clusters", Map.of("name", cluster, "pod", "lab", "masters", 2,
                        "replicas", 0, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
                created = c.get("id").asLong();
                formation = c.get("taskId").asLong();
                clusterPassword = c.get("password").asText();
                assertEquals(137, crashing.awaitExit(Duration.ofSeconds(60)), "halted after " + step.id());
            }
            String deletionStep = step.ordinal() < deletionSteps.size() ? deletionSteps.get(step.ordinal()) : null;
            try (ServiceProcess taker = redisCtl("formed-after-" + step.id(), deletionStep)) {
                Scheduler ctl = api(taker);
                awaitTask(ctl, formation);
                JsonNode view = ctl.get("/clusters/" + created).expect(200).body();
                assertEquals("ready", view.get("state").asText(), view.toString());
                int slots = 0;
                for (JsonNode i : view.get("instances")) {
                    for (JsonNode range : i.path("slots")) {
                        String[] ends = range.asText().split("-");
                        slots += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
                    }
                    assertClusterOk(i.get("address").asText(), clusterPassword);
                }
                assertEquals(16384, slots, "every slot served once the formation halted after " + step.id()
                        + " was finished: " + view);
                ctl.delete("/clusters/" + created).expect(202);
                if (deletionStep != null) {
                    assertEquals(137, taker.awaitExit(Duration.ofSeconds(60)), "halted after " + deletionStep);
                } else {
                    awaitGone(ctl, created);
                }
            }
            if (deletionStep != null) {
                try (ServiceProcess finisher = redisCtl("deleted-after-" + deletionStep, null)) {
                    awaitGone(api(finisher), created);
                }
            }
            assertEquals(404, scheduler.get("/apps/redis-" + cluster).status(), "the cluster's app is gone");
        }
    }

    private static void awaitGone(Scheduler ctl, long cluster) {
        await("cluster " + cluster + " deleted").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> ctl.get("/clusters/" + cluster).status() == 404);
    }

    private static void assertClusterOk(String address, String password) {
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.builder().withHost(address)
                .withPort(6379).withAuthentication("default", password.toCharArray()).build())) {
            assertTrue(c.sync().clusterInfo().contains("cluster_state:ok"), address + " says the cluster is whole");
        } finally {
            client.shutdown();
        }
    }

    /** The instance id of a container of the cluster. */
    private long instanceOf(Scheduler ctl, long container) {
        for (JsonNode i : ctl.get("/clusters/" + id).expect(200).body().get("instances")) {
            if (i.get("containerId").asLong() == container) {
                return i.get("id").asLong();
            }
        }
        throw new AssertionError("container " + container + " is no instance of the cluster");
    }

    private void assertNothingOpen(Scheduler ctl) {
        assertNothingOpen(ctl, id, password);
    }

    /** No active instance of the cluster has a slot migrating or importing, and all agree the cluster is whole. */
    static void assertNothingOpen(Scheduler ctl, long id, String password) {
        for (JsonNode i : ctl.get("/clusters/" + id).expect(200).body().get("instances")) {
            if (!i.get("state").asText().equals("active")) {
                continue;
            }
            RedisClient client = RedisClient.create();
            try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.builder()
                    .withHost(i.get("address").asText()).withPort(6379)
                    .withAuthentication("default", password.toCharArray()).build())) {
                String nodes = c.sync().clusterNodes();
                assertTrue(!nodes.contains("->-") && !nodes.contains("-<-"), "open slots left:\n" + nodes);
                assertTrue(c.sync().clusterInfo().contains("cluster_state:ok"));
            } finally {
                client.shutdown();
            }
        }
    }
}

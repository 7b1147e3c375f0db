package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Events as consumers see them: {@code ready} only once the probe passes, {@code stopping} before the stop,
 * every event on the bus exactly once and in order, the same as the API serves, and the membership hash
 * matching the database, even when the bus was down while things happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerEventsIT {

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String app = "probed-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private final LabResources resources = new LabResources(lab, "events");
    private Scheduler tenant;
    private Bus bus;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, "events");
        tenant = operator.as(operator.issueTenantToken("events"));
        // ready once /tmp/ready exists: the test decides when the probe passes
        tenant.post("/apps", Map.of("name", app, "pod", "lab", "image", lab.lab("image.web"), "cpu", 0.1,
                "memory", "16MiB", "stopGraceSeconds", 2,
                "probe", Map.of("command", List.of("/bin/sh", "-c", "test -f /tmp/ready")))).expect(201);
        bus = new Bus(lab);
    }

    @AfterAll
    void tearDown() {
        try {
            tenant.put("/apps/" + app + "/scale", Map.of("replicas", 0));
            tenant.delete("/apps/" + app);
        } finally {
            bus.close();
            resources.close();
        }
    }

    /** The events of one container, from the API, in order: their type names. */
    private List<String> eventsOf(long container) {
        List<String> types = new ArrayList<>();
        for (JsonNode e : tenant.get("/events?after=0&limit=5000").expect(200).body()) {
            if (e.has("container") && e.get("container").get("id").asLong() == container) {
                types.add(e.get("type").asText());
            }
        }
        return types;
    }

    @Test
    void readyOnlyAfterTheProbePassesAndStoppingBeforeTheStop() throws Exception {
        JsonNode c = tenant.post("/apps/" + app + "/containers", Map.of("count", 1)).expect(201).body().get(0);
        long id = c.get("id").asLong();
        int node = lab.nodes().stream().filter(n -> n.name().equals(c.get("node").asText())).findFirst()
                .orElseThrow().index();
        await("no ready while the probe fails").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> eventsOf(id).equals(List.of("container.started")));
        assertFalse(tenant.get("/containers/" + id).expect(200).body().get("ready").asBoolean());

        DockerClient docker = resources.docker(node);
        String exec = docker.execCreateCmd(c.get("engineId").asText()).withCmd("/bin/sh", "-c", "touch /tmp/ready")
                .exec().getId();
        docker.execStartCmd(exec).start().awaitCompletion();
        await("ready").atMost(Duration.ofSeconds(15))
                .until(() -> tenant.get("/containers/" + id).expect(200).body().get("ready").asBoolean());
        await("membership says ready").atMost(Duration.ofSeconds(10)).until(() -> {
            String member = bus.members("events", app).get(String.valueOf(id));
            return member != null && Scheduler.JSON.readTree(member).get("ready").asBoolean();
        });

        tenant.delete("/containers/" + id).expect(200);
        assertEquals(List.of("container.started", "container.ready", "container.stopping", "container.stopped",
                "container.removed"), eventsOf(id));
        await("gone from the membership").atMost(Duration.ofSeconds(10))
                .until(() -> !bus.members("events", app).containsKey(String.valueOf(id)));
    }

    @Test
    void whileTheBusIsDownEventsWaitAndThenArriveExactlyOnceInOrder() throws Exception {
        Bus.shutDown(lab);
        try {
            tenant.post("/apps/" + app + "/containers", Map.of("count", 3)).expect(201);
            JsonNode containers = tenant.get("/apps/" + app + "/containers").expect(200).body();
            tenant.delete("/containers/" + containers.get(0).get("id").asText()).expect(200);
        } finally {
            Lab.Run up = lab.biu("up", "--no-build");
            assertEquals(0, up.exitCode(), up.output());
        }
        try (Bus back = new Bus(lab)) {
            long newest = newestSeq();
            await("every event published").atMost(Duration.ofSeconds(30)).until(() -> back.last() >= newest);
            List<StreamMessage<String, String>> stream = back.events();
            // the stream may have been trimmed (by its length cap, or by a scenario): it holds an unbroken tail
            long first = Long.parseLong(stream.get(0).getId().substring(0, stream.get(0).getId().indexOf('-')));
            long previous = first - 1;
            for (StreamMessage<String, String> m : stream) {
                long seq = Long.parseLong(m.getId().substring(0, m.getId().indexOf('-')));
                assertEquals(previous + 1, seq, "the stream skips or repeats after " + previous);
                assertEquals(String.valueOf(seq), m.getBody().get("seq"));
                previous = seq;
            }
            assertEquals(back.last(), previous);

            JsonNode all = operator.get("/events?after=" + (first - 1) + "&limit=5000").expect(200).body();
            assertEquals(all.size(), stream.size(), "the API and the stream hold the same events");
            for (int i = 0; i < all.size(); i++) {
                assertEquals(all.get(i).toString(), Scheduler.JSON.readTree(stream.get(i).getBody().get("json"))
                        .toString());
            }

            List<String> inDatabase = new ArrayList<>();
            tenant.get("/apps/" + app + "/containers").expect(200).body()
                    .forEach(c -> inDatabase.add(c.get("id").asText()));
            assertEquals(2, inDatabase.size());
            assertEquals(new java.util.TreeSet<>(inDatabase), new java.util.TreeSet<>(back.members("events", app)
                    .keySet()), "the membership hash matches the database");
        }
    }

    @Test
    void theRelayAloneWritesTheBusAndOnlyItsKeysAndNobodyGetsInWithoutAPassword() throws Exception {
        Path secrets = lab.dataDir.resolve("secrets");
        // no password: nothing at all
        Exception anonymous = assertThrows(Exception.class, () -> asUser(null, null, r -> r.get("biu:events:last")));
        assertTrue(causes(anonymous).contains("NOAUTH"), causes(anonymous));
        // the readers (redis-ctl, nginx) read the stream and the membership, and write nothing
        for (String reader : List.of("biu-redis-ctl", "biu-web")) {
            Path file = secrets.resolve("bus-" + reader.substring(4) + ".password");
            assertEquals(java.util.Set.of(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                    java.nio.file.attribute.PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file),
                    file + " is root's alone");
            asUser(reader, file, r -> r.xrange("biu:events", io.lettuce.core.Range.create("-", "+"),
                    io.lettuce.core.Limit.create(0, 1)));
            for (java.util.function.Function<RedisCommands<String, String>, Object> write : List.<java.util.function
                    .Function<RedisCommands<String, String>, Object>>of(
                    r -> r.xadd("biu:events", Map.of("type", "container.died", "json", "{}")),
                    r -> r.hset("biu:members:events/" + app, "1", "{}"),
                    r -> r.del("biu:events:last"),
                    r -> r.set("other", "x"))) {
                Exception refused = assertThrows(Exception.class, () -> asUser(reader, file, write), reader);
                assertTrue(causes(refused).contains("NOPERM"), reader + ": " + causes(refused));
            }
        }
        // the relay writes the bus's keys only, and nothing that would wipe or scan it
        Path relay = secrets.resolve("bus-relay.password");
        for (java.util.function.Function<RedisCommands<String, String>, Object> beyond : List.<java.util.function
                .Function<RedisCommands<String, String>, Object>>of(
                r -> r.set("other", "x"), RedisCommands::flushall, r -> r.keys("*"),
                r -> r.configSet("appendonly", "no"))) {
            Exception refused = assertThrows(Exception.class, () -> asUser("biu-relay", relay, beyond));
            assertTrue(causes(refused).contains("NOPERM"), "relay: " + causes(refused));
        }
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append(" / ");
        }
        return all.toString();
    }

    private Object asUser(String user, Path passwordFile,
            java.util.function.Function<RedisCommands<String, String>, Object> work) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(Bus.uri(lab, user, passwordFile));
        try (var c = client.connect()) {
            return work.apply(c.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void aBusThatLostItsDataGetsTheWholeHistoryAndMembershipBack() throws Exception {
        tenant.post("/apps/" + app + "/containers", Map.of("count", 1)).expect(201);
        long newest = newestSeq();
        await("published").atMost(Duration.ofSeconds(10)).until(() -> bus.last() >= newest);
        Map<String, String> before = bus.members("events", app);
        assertFalse(before.isEmpty());
        bus.redis().flushall();
        await("history published again").atMost(Duration.ofSeconds(30)).until(() -> bus.last() >= newest);
        assertEquals(newest, bus.events().size(), "every event from the first");
        assertEquals(before.keySet(), bus.members("events", app).keySet());
    }

    @Test
    void cordoningIsAnnouncedAndKeepsNewContainersAway() throws Exception {
        long after = newestSeq();
        Lab.Node first = lab.node(1);
        operator.put("/nodes/" + first.name() + "/cordon", Map.of("cordoned", true)).expect(200);
        try {
            JsonNode events = operator.get("/events?after=" + after).expect(200).body();
            assertEquals("node.cordoned", events.get(0).get("type").asText(), events.toString());
            assertEquals(first.name(), events.get(0).get("node").get("name").asText());
            assertTrue(events.get(0).get("node").get("cordoned").asBoolean());
            JsonNode deployed = tenant.post("/apps/" + app + "/containers", Map.of("count", 2)).expect(201).body();
            deployed.forEach(c -> assertNotEquals(first.name(), c.get("node").asText(), "placed on a cordoned node"));
        } finally {
            operator.put("/nodes/" + first.name() + "/cordon", Map.of("cordoned", false)).expect(200);
            tenant.put("/apps/" + app + "/scale", Map.of("replicas", 0)).expect(200);
        }
    }

    private long newestSeq() {
        JsonNode all = operator.get("/events?after=0&limit=5000").expect(200).body();
        return all.get(all.size() - 1).get("seq").asLong();
    }
}

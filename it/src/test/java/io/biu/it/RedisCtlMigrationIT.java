package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Slot moves under load: while a verifying client writes unique keys and reads them back, a master joins
 * (and gets its share of the slots), then an original master is drained (its slots to the others, its
 * replica re-homed) and removed. Nothing acknowledged is lost or changed, and the client sees no error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCtlMigrationIT {

    private static final String TENANT = "migration";
    private static final int PRELOAD = 20_000;
    /** Above the test instance's big-key threshold (1 MiB; 8 MiB by default). */
    private static final String BIG_KEY = "b".repeat(2 * 1024 * 1024);

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String name = "moves-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private Scheduler scheduler;
    private Scheduler redisCtl;
    private long id = -1;
    private String password;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        String token = operator.issueTenantToken(TENANT);
        scheduler = operator.as(token);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(token);
        JsonNode created = redisCtl.post("/clusters", Map.of("name", name, "pod", "lab", "masters", 2,
                "replicas", 1, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
        id = created.get("id").asLong();
        password = created.get("password").asText();
        awaitTask(created.get("taskId").asLong());
    }

    @AfterAll
    void tearDown() {
        if (id >= 0) {
            await("cluster deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                redisCtl.delete("/clusters/" + id);
                return redisCtl.get("/clusters/" + id).status() == 404;
            });
        }
    }

    /** A key in a slot the join moves (the first master gives away its highest slots, 5462-8191). */
    private static String bigKey() {
        for (int n = 0; ; n++) {
            int slot = io.lettuce.core.cluster.SlotHash.getSlot("big:" + n);
            if (slot > 6000 && slot < 8000) {
                return "big:" + n;
            }
        }
    }

    /** Keys are bytes, not text: 200 keys and values that are not UTF-8, all over the slots. */
    private Map<String, byte[]> writeBinaryKeys(String seed) {
        Map<String, byte[]> written = new LinkedHashMap<>();
        withBinary(seed, redis -> {
            for (int n = 0; n < 200; n++) {
                byte[] key = {(byte) 0xff, (byte) 0xfe, (byte) (n >> 8), (byte) n, (byte) 0xc3};
                byte[] value = {(byte) 0x80, (byte) n, (byte) 0xff};
                assertEquals("OK", redis.set(key, value));
                written.put(HexFormat.of().formatHex(key), value);
            }
        });
        return written;
    }

    private List<String> missingBinaryKeys(String seed, Map<String, byte[]> written) {
        List<String> missing = new ArrayList<>();
        withBinary(seed, redis -> written.forEach((hex, value) -> {
            if (!Arrays.equals(value, redis.get(HexFormat.of().parseHex(hex)))) {
                missing.add(hex);
            }
        }));
        return missing;
    }

    private void withBinary(String seed, Consumer<RedisAdvancedClusterCommands<byte[], byte[]>> work) {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost(seed).withPort(6379)
                .withAuthentication("default", password.toCharArray()).build());
        try (StatefulRedisClusterConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            work.accept(c.sync());
        } finally {
            client.shutdown();
        }
    }

    private JsonNode awaitTask(long task) {
        return await("task " + task).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode t = redisCtl.get("/tasks/" + task).expect(200).body();
            assertNotEquals("failed", t.get("state").asText(), () -> "task failed: " + t);
            return t;
        }, t -> t.get("state").asText().equals("done"));
    }

    private JsonNode cluster() {
        return redisCtl.get("/clusters/" + id).expect(200).body();
    }

    private static int slotCount(JsonNode instance) {
        int count = 0;
        for (JsonNode range : instance.get("slots")) {
            String[] r = range.asText().split("-");
            count += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
        }
        return count;
    }

    @Test
    void aMasterJoinsAndAnotherIsDrainedAndRemovedUnderLoadLosingNothing() throws Exception {
        String seed = cluster().get("instances").get(0).get("address").asText();
        try (VerifyingLoad load = new VerifyingLoad(seed, password)) {
            load.preload(PRELOAD);
            load.put(bigKey(), BIG_KEY);
            Map<String, byte[]> binary = writeBinaryKeys(seed);
            load.start(3);
            List<String> phases = new ArrayList<>();

            // a master joins: deployed through the scheduler, joined through redis-ctl
            long before = load.writes();
            JsonNode container = scheduler.post("/apps/redis-" + name + "/containers", Map.of("count", 1,
                    "role", "master")).expect(201).body().get(0);
            long containerId = container.get("id").asLong();
            await("new container ready").atMost(Duration.ofSeconds(30)).until(() -> scheduler
                    .get("/containers/" + containerId).expect(200).body().get("ready").asBoolean());
            long join = redisCtl.post("/clusters/" + id + "/members", Map.of("members",
                    List.of(Map.of("container", containerId, "role", "master")))).expect(202).body().get("id").asLong();
            JsonNode joined = awaitTask(join);
            phases.add("join: " + (load.writes() - before) + " writes, " + joined.get("progress").asText());
            assertTrue(Files.readString(lab.dataDir.resolve("logs/redis-ctl.log")).contains(
                    "is moved alone with a"), "the big key was found before its MIGRATE and moved alone");
            // asked again, a rebalance finds nothing to move
            JsonNode rebalanced = awaitTask(redisCtl.post("/clusters/" + id + "/rebalance", Map.of()).expect(202)
                    .body().get("id").asLong());
            assertTrue(rebalanced.get("progress").asText().contains("agree"), rebalanced.toString());
            JsonNode newcomer = null;
            for (JsonNode i : cluster().get("instances")) {
                if (i.get("containerId").asLong() == containerId) {
                    newcomer = i;
                }
            }
            assertEquals("master", newcomer.get("role").asText());
            assertEquals("active", newcomer.get("state").asText());
            assertTrue(Math.abs(slotCount(newcomer) - 16384 / 3) <= 1, "a third of the slots: " + newcomer);

            // an original master (with a replica) is drained, then removed
            before = load.writes();
            JsonNode victim = null;
            for (JsonNode i : cluster().get("instances")) {
                if (i.get("shard").asInt() == 0 && i.get("role").asText().equals("master")) {
                    victim = i;
                }
            }
            long drain = redisCtl.post("/clusters/" + id + "/instances/" + victim.get("id").asLong() + "/drain", Map.of())
                    .expect(202).body().get("id").asLong();
            JsonNode drained = awaitTask(drain);
            phases.add("drain: " + (load.writes() - before) + " writes, " + drained.get("progress").asText());
            int masters = 0;
            for (JsonNode i : cluster().get("instances")) {
                if (i.get("id").asLong() == victim.get("id").asLong()) {
                    assertEquals("removable", i.get("state").asText());
                } else {
                    assertEquals("active", i.get("state").asText());
                    if (i.get("role").asText().equals("master")) {
                        masters++;
                        assertEquals(8192, slotCount(i), "the two masters left share the slots: " + i);
                    }
                }
            }
            assertEquals(2, masters);
            redisCtl.delete("/clusters/" + id + "/instances/" + victim.get("id").asLong()).expect(204);
            assertEquals(404, scheduler.get("/containers/" + victim.get("containerId").asLong()).status());
            for (JsonNode i : cluster().get("instances")) {
                if (i.get("role").asText().equals("replica")) {
                    assertNotEquals(victim.get("redisId").asText(), i.get("followsId") == null ? ""
                            : i.get("followsId").asText());
                }
            }

            String survivor = null;
            for (JsonNode i : cluster().get("instances")) {
                if (i.get("state").asText().equals("active")) {
                    survivor = i.get("address").asText();
                }
            }
            assertEquals(List.of(), missingBinaryKeys(survivor, binary), "keys that are not text moved like any other");
            Thread.sleep(1000);
            load.stop();
            assertTrue(load.writes() > 100 && load.reads() > 100, "the load ran: " + load.writes() + " writes");
            assertEquals(List.of(), load.errors().stream().limit(10).toList(), "client errors (" + phases + ")");
            List<String> bad = load.verify();
            assertEquals(List.of(), bad.stream().limit(10).toList(),
                    bad.size() + " of " + load.acknowledgedKeys() + " acknowledged keys lost or changed");
            System.out.println("verifying load: " + load.writes() + " writes, " + load.reads() + " reads, "
                    + load.acknowledgedKeys() + " keys checked; " + phases);
        }
    }
}

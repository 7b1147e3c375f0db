package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * No orphans: containers of a cluster's app deployed through the scheduler and never joined are adopted by
 * redis-ctl's reconciler after its grace period (a master gets its share of the slots, a replica a master
 * lacking one), and a replica no master needs is removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCtlAdoptionIT {

    private static final String TENANT = "adoption";

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String name = "orphans-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private Scheduler scheduler;
    private Scheduler redisCtl;
    private long id = -1;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        String token = operator.issueTenantToken(TENANT);
        scheduler = operator.as(token);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(token);
        JsonNode created = redisCtl.post("/clusters", Map.of("name", name, "pod", "lab", "masters", 2,
                "replicas", 1, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
        id = created.get("id").asLong();
        await("cluster ready").atMost(Duration.ofSeconds(90)).until(() -> redisCtl.get("/clusters/" + id)
                .expect(200).body().get("state").asText().equals("ready"));
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

    private long deploy(String role) {
        return scheduler.post("/apps/redis-" + name + "/containers", Map.of("count", 1, "role", role)).expect(201)
                .body().get(0).get("id").asLong();
    }

    /** The container's instance once it is an active member with its role settled. */
    private JsonNode awaitMember(long container, String role) {
        return await("container " + container + " adopted").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    JsonNode c = redisCtl.get("/clusters/" + id).expect(200).body();
                    if (c.get("task") != null && !c.get("task").get("state").asText().equals("done")) {
                        return null;
                    }
                    for (JsonNode i : c.get("instances")) {
                        if (i.get("containerId").asLong() == container && i.get("state").asText().equals("active")
                                && i.get("role").asText().equals(role)) {
                            return i;
                        }
                    }
                    return null;
                }, i -> i != null);
    }

    @Test
    void containersNobodyJoinedAreAdoptedOrRemoved() {
        long master = deploy("master");
        JsonNode adopted = awaitMember(master, "master");
        assertTrue(adopted.get("slots").size() > 0, "the adopted master got slots: " + adopted);
        assertEquals("join", redisCtl.get("/clusters/" + id).expect(200).body().get("task").get("kind").asText());

        long replica = deploy("replica");
        awaitMember(replica, "replica");
        JsonNode cluster = redisCtl.get("/clusters/" + id).expect(200).body();
        assertEquals(6, cluster.get("instances").size());

        // every master has its replica now: one more is surplus
        long surplus = deploy("replica");
        await("the surplus replica removed").atMost(Duration.ofSeconds(60))
                .until(() -> scheduler.get("/containers/" + surplus).status() == 404);
        assertEquals(6, redisCtl.get("/clusters/" + id).expect(200).body().get("instances").size());
    }
}

package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A tenant's quota on the running platform: redis-ctl refuses a cluster too many or too big, proxy-admin an endpoint
 * too many, the scheduler a container over it, each with a 4xx naming the quota and its numbers, while the pod has
 * room for all of them; the autoscaler records a scale-out the quota has no room for as blocked by the quota, and
 * deploys nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotaIT {

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String tenant = "quota-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private Scheduler scheduler;
    private Scheduler redisCtl;
    private Scheduler admin;
    private Scheduler monitor;
    private long cluster = -1;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, tenant);
        String token = operator.issueTenantToken(tenant);
        scheduler = operator.as(token);
        redisCtl = scheduler.at(lab.service("redis-ctl.url"));
        admin = scheduler.at(lab.service("admin.url"));
        monitor = scheduler.at(lab.service("redis-monitor.url"));
    }

    @AfterAll
    void tearDown() {
        if (cluster >= 0) {
            monitor.delete("/policies/" + cluster);
            await("cluster deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                redisCtl.delete("/clusters/" + cluster);
                return redisCtl.get("/clusters/" + cluster).status() == 404;
            });
        }
        scheduler.delete("/apps/web");
        operator.delete("/tenants/" + tenant + "/quota");
    }

    private JsonNode quota(Map<String, Object> limits) {
        return operator.put("/tenants/" + tenant + "/quota", limits).expect(200).body();
    }

    private static Map<String, Object> clusterSpec(String name, int masters) {
        return Map.of("name", name, "pod", "lab", "masters", masters, "replicas", 0, "cpu", 0.1, "memory", "64MiB",
                "persistence", "none");
    }

    private static String refusal(Scheduler.Reply reply) {
        assertEquals(422, reply.status(), "" + reply.body());
        return reply.body().get("message").asText();
    }

    @Test
    void aTenantOverItsQuotaIsRefusedNamingItAndItsAutoscalerIsBlockedByIt() {
        Map<String, Object> limits = new HashMap<>(Map.of("clusters", 1, "containers", 3, "cores", 0.4,
                "endpoints", 0));
        quota(limits);
        cluster = redisCtl.post("/clusters", clusterSpec("q1", 1)).expect(202).body().get("id").asLong();
        await("cluster ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                redisCtl.get("/clusters/" + cluster).expect(200).body().get("state").asText().equals("ready"));

        // the pod has room for all of these; the quota does not
        String second = refusal(redisCtl.post("/clusters", clusterSpec("q2", 1)));
        assertTrue(second.startsWith("quota: tenant '" + tenant + "' may have 1 cluster and has 1"), second);
        limits.put("clusters", 2);
        quota(limits);
        String big = refusal(redisCtl.post("/clusters", clusterSpec("q3", 4)));
        assertTrue(big.contains("needs 4 instances") && big.contains("containers 3 (1 held)")
                && big.contains("cores 0.4 (0.1 held)"), big);
        assertEquals(List.of(cluster), ids(redisCtl.get("/clusters").expect(200).body()),
                "nothing was made for the refused clusters");
        String endpoint = refusal(admin.post("/endpoints", Map.of("cluster", cluster, "proxies", 1)));
        assertTrue(endpoint.startsWith("quota: tenant '" + tenant + "' may have 0 endpoints and has 0"), endpoint);

        // the scheduler itself: a container of the tenant's own app over the cores
        scheduler.post("/apps", Map.of("name", "web", "pod", "lab", "image", "biu/web:1", "cpu", 0.4,
                "memory", "64MiB")).expect(201);
        JsonNode over = scheduler.post("/apps/web/containers", Map.of("count", 1)).expect(422).body();
        assertEquals("QUOTA_EXCEEDED", over.get("error").asText(), over.toString());
        assertTrue(over.get("message").asText().contains("cores 0.4 (0.1 held)"), over.toString());
        JsonNode held = operator.get("/tenants/" + tenant + "/quota").expect(200).body().get("used");
        assertEquals(1, held.get("containers").asInt(), held.toString());

        // one master, a minimum of two, and a quota with no room for another
        limits.put("containers", 1);
        quota(limits);
        monitor.put("/policies/" + cluster, Map.of("minMasters", 2, "maxMasters", 4, "staleAfter", "5s"))
                .expect(200);
        JsonNode blocked = await("blocked decision").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    for (JsonNode d : monitor.get("/clusters/" + cluster + "/decisions").expect(200).body()) {
                        if (d.get("decision").asText().equals("blocked")) {
                            return d;
                        }
                    }
                    return null;
                }, java.util.Objects::nonNull);
        assertEquals("quota", blocked.get("reason").asText(), blocked.toString());
        assertEquals("below-minimum", blocked.get("trigger").asText(), blocked.toString());
        assertTrue(blocked.get("why").asText().contains("containers 1 (1 held)"), blocked.toString());
        assertEquals(0, blocked.get("inputs").get("capacity").asInt(), blocked.toString());
        assertTrue(monitor.get("/clusters/" + cluster + "/actions").expect(200).body().isEmpty(), "no action");
        assertEquals(1, operator.get("/tenants/" + tenant + "/quota").expect(200).body().get("used")
                .get("containers").asInt(), "nothing deployed");
    }

    private static List<Long> ids(JsonNode list) {
        List<Long> ids = new java.util.ArrayList<>();
        list.forEach(c -> ids.add(c.get("id").asLong()));
        return ids;
    }
}

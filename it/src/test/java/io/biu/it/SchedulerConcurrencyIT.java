package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two scheduler processes on one PostgreSQL take 200 concurrent one-container deployments for a pod
 * where exactly K fit (K well below 200): exactly K succeed, every other one gets the capacity error,
 * no core, byte or address is handed out twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerConcurrencyIT {

    private static final int REQUESTS = 200;
    /** 6 GiB each: memory, not CPU, bounds the count, so K is a handful even on big nodes. */
    private static final String MEMORY = "6GiB";

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String app = "race-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private Scheduler tenant;
    private ServiceProcess second;
    private String secondUrl;

    @BeforeAll
    void twoSchedulersOneDatabase() throws Exception {
        second = ServiceProcess.scheduler(lab, "2", Map.of());
        secondUrl = second.url;
        Scheduler.ensureLabPod(operator, "race");
        tenant = operator.as(operator.issueTenantToken("race"));
        tenant.post("/apps", Map.of("name", app, "pod", "lab", "image", lab.lab("image.redis"), "cpu", 0.1,
                "memory", MEMORY, "command", List.of("redis-server", "--port", "0", "--unixsocket", "/tmp/redis.sock",
                        "--save", ""),
                "stopGraceSeconds", 2)).expect(201);
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (tenant != null) {
                tenant.put("/apps/" + app + "/scale", Map.of("replicas", 0));
                // a removal its node has not confirmed yet frees its resources later: the next scenario, which
                // counts the pod's capacity, must not see them come back under its feet
                await("the app's containers removed").atMost(Duration.ofSeconds(60))
                        .until(() -> tenant.get("/apps/" + app + "/containers").expect(200).body().isEmpty());
                tenant.delete("/apps/" + app).expect(204);
            }
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }

    /**
     * The pod's room for one more container, once it has stayed the same for 5 s: the scenarios before may leave
     * containers whose removal their nodes have not confirmed yet, whose resources come back a moment later.
     */
    private int settledCapacity() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        int last = -1;
        long sameSince = System.nanoTime();
        while (System.nanoTime() < until) {
            int total = tenant.get("/pods/lab/capacity?cpu=0.1&memory=" + MEMORY).expect(200).body().get("total")
                    .asInt();
            if (total != last) {
                last = total;
                sameSince = System.nanoTime();
            } else if (System.nanoTime() - sameSince >= TimeUnit.SECONDS.toNanos(5)) {
                return total;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the pod's capacity did not settle within 90 s (last: " + last + ")");
    }

    @Test
    void exactlyTheContainersThatFitAreDeployedAndNothingIsHandedOutTwice() throws Exception {
        int k = settledCapacity();
        assertTrue(k > 0 && k < REQUESTS / 4, "the pod should fit a handful, not " + k);

        Scheduler[] schedulers = {tenant, tenant.at(secondUrl)};
        ExecutorService pool = Executors.newFixedThreadPool(50);
        List<Future<Scheduler.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            Scheduler target = schedulers[i % 2];
            replies.add(pool.submit(() -> target.post("/apps/" + app + "/containers", Map.of("count", 1))));
        }
        Map<Integer, Integer> byStatus = new HashMap<>();
        for (Future<Scheduler.Reply> reply : replies) {
            Scheduler.Reply r = reply.get(5, TimeUnit.MINUTES);
            byStatus.merge(r.status(), 1, Integer::sum);
            if (r.status() == 422) {
                assertEquals("CAPACITY_EXHAUSTED", r.body().get("error").asText(), r.body().toString());
            }
        }
        pool.shutdown();
        assertEquals(Map.of(201, k, 422, REQUESTS - k), byStatus, "exactly K = " + k + " deployments succeed");

        JsonNode containers = tenant.get("/apps/" + app + "/containers").expect(200).body();
        assertEquals(k, containers.size());
        Set<String> addresses = new HashSet<>();
        Map<String, Integer> piecesPerCore = new HashMap<>();
        for (JsonNode c : containers) {
            assertEquals("running", c.get("state").asText(), c.toString());
            assertTrue(addresses.add(c.get("address").asText()), "address handed out twice: " + c);
            for (JsonNode core : c.get("cpuset")) {
                piecesPerCore.merge(c.get("node").asText() + "/" + core.asInt(), 1, Integer::sum);
            }
        }
        piecesPerCore.forEach((core, pieces) -> assertTrue(pieces <= 10, core + " holds " + pieces + " pieces"));
        assertEquals(0, tenant.get("/pods/lab/capacity?cpu=0.1&memory=" + MEMORY).expect(200).body().get("total")
                .asInt(), "the pod is full");
    }

}

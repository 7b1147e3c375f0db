package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import io.biu.scheduler.client.LifecycleStep;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Recovery on real engines: a scheduler process halted right after a step of a deployment or of a removal
 * leaves, once the reconciler has run, neither a reservation without a container nor a container without
 * a row; a partitioned node goes down with its containers lost (their addresses kept from others) and
 * comes back with them. Every step is halted at in the middle tier ({@code ReconcilerTest}, on fake engines);
 * here, the steps after which a real engine holds something the reconciler must deal with: a container created
 * but never started (undone), one started (kept), one stopped (its removal finished).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerRecoveryIT {

    /** The test instance's heartbeat (BIU_TEST_SETTINGS). */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final LabResources resources = new LabResources(lab, "recovery");
    private final String app = "steady-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private Scheduler tenant;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, "recovery");
        tenant = operator.as(operator.issueTenantToken("recovery"));
        tenant.post("/apps", Map.of("name", app, "pod", "lab", "image", lab.lab("image.web"), "cpu", 0.1,
                "memory", "16MiB", "stopGraceSeconds", 1, "files", List.of(Map.of("path", "/www/token",
                        "content", "c2VjcmV0", "mode", "0400")))).expect(201);
    }

    @AfterEach
    void scaleToZero() {
        tenant.put("/apps/" + app + "/scale", Map.of("replicas", 0));
        lab.nodes().forEach(n -> lab.biu("lab", "heal", n.name()));
    }

    @AfterAll
    void tearDown() {
        try {
            tenant.delete("/apps/" + app);
        } finally {
            resources.close();
        }
    }

    /** The app's containers on every engine, by their container-id label. */
    private Set<String> onEngines() {
        Set<String> ids = new TreeSet<>();
        for (Lab.Node node : lab.nodes()) {
            for (Container c : resources.docker(node.index()).listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of("biu.app", app, "biu.tenant", "recovery")).exec()) {
                ids.add(c.getLabels().get("biu.container"));
            }
        }
        return ids;
    }

    /** The app's rows; fails on any row left in a step between states. */
    private Set<String> settledRows() {
        Set<String> ids = new TreeSet<>();
        for (JsonNode c : tenant.get("/apps/" + app + "/containers").expect(200).body()) {
            String state = c.get("state").asText();
            if (!state.equals("running")) {
                return null;
            }
            ids.add(c.get("id").asText());
        }
        return ids;
    }

    /** Database and engines agree and nothing is half-done: returns the app's running containers. */
    private Set<String> awaitSettled(String after) {
        return await("settled after halting at " + after).atMost(Duration.ofSeconds(30)).until(() -> {
            Set<String> rows = settledRows();
            return rows != null && rows.equals(onEngines()) ? rows : null;
        }, rows -> rows != null);
    }

    @Test
    void aDeploymentHaltedOnARealEngineIsUndoneOrKept() throws Exception {
        for (String step : Stream.of(LifecycleStep.CREATED, LifecycleStep.STARTED).map(LifecycleStep::id).toList()) {
            try (ServiceProcess crashing = ServiceProcess.scheduler(lab, "crash-" + step,
                    Map.of("biu.crash-after", step, "biu.scheduler.background", "false"))) {
                try {
                    tenant.at(crashing.url).post("/apps/" + app + "/containers", Map.of("count", 1));
                } catch (RuntimeException connectionDropped) {
                    // the process halted mid-request, as it was told to
                }
                assertEquals(137, crashing.awaitExit(Duration.ofSeconds(30)), "halted at " + step);
            }
            Set<String> running = awaitSettled(step);
            boolean started = step.equals(LifecycleStep.STARTED.id());
            assertEquals(started ? 1 : 0, running.size(),
                    "after a halt at " + step + " the container is " + (started ? "kept" : "undone"));
            tenant.put("/apps/" + app + "/scale", Map.of("replicas", 0)).expect(200);
        }
    }

    @Test
    void aRemovalHaltedOnARealEngineIsFinished() throws Exception {
        for (String step : Stream.of(LifecycleStep.STOPPED).map(LifecycleStep::id).toList()) {
            JsonNode c = tenant.post("/apps/" + app + "/containers", Map.of("count", 1)).expect(201).body().get(0);
            try (ServiceProcess crashing = ServiceProcess.scheduler(lab, "crash-" + step,
                    Map.of("biu.crash-after", step, "biu.scheduler.background", "false"))) {
                try {
                    tenant.at(crashing.url).delete("/containers/" + c.get("id").asText());
                } catch (RuntimeException connectionDropped) {
                    // the process halted mid-request, as it was told to
                }
                assertEquals(137, crashing.awaitExit(Duration.ofSeconds(30)), "halted at " + step);
            }
            assertEquals(Set.of(), awaitSettled(step), "the removal halted at " + step + " was finished");
        }
    }

    @Test
    void aPartitionedNodeGoesDownWithItsContainersAndComesBackWithThem() {
        JsonNode deployed = tenant.post("/apps/" + app + "/containers", Map.of("count", 1, "strategy", "each-node"))
                .expect(201).body();
        Lab.Node cut = lab.node(lab.nodes().size());
        JsonNode victim = null;
        for (JsonNode c : deployed) {
            if (c.get("node").asText().equals(cut.name())) {
                victim = c;
            }
        }
        String victimId = victim.get("id").asText();
        String victimAddress = victim.get("address").asText();
        long before = newestSeq();

        Instant cutAt = Instant.now();
        assertEquals(0, lab.biu("lab", "partition", cut.name()).exitCode());
        JsonNode down = await("node.down").atMost(Duration.ofSeconds(20))
                .until(() -> find(before, "node.down", cut.name(), null), e -> e != null);
        Duration detection = Duration.between(cutAt, Instant.parse(down.get("time").asText()));
        assertTrue(detection.compareTo(HEARTBEAT.multipliedBy(3).plus(Duration.ofSeconds(2))) <= 0,
                "node.down took " + detection + ", more than 3 heartbeats (and a ping's timeout)");
        assertTrue(find(before, "container.lost", cut.name(), victimId) != null, "its container is lost");
        assertEquals("lost", tenant.get("/containers/" + victimId).expect(200).body().get("state").asText());

        JsonNode more = tenant.post("/apps/" + app + "/containers", Map.of("count", 2)).expect(201).body();
        Set<String> addresses = new HashSet<>();
        more.forEach(c -> addresses.add(c.get("address").asText()));
        more.forEach(c -> assertNotEquals(cut.name(), c.get("node").asText(), "nothing goes to a down node"));
        assertTrue(!addresses.contains(victimAddress), "the lost container's address was handed out again");

        assertEquals(0, lab.biu("lab", "heal", cut.name()).exitCode());
        await("node.up").atMost(Duration.ofSeconds(20)).until(() -> find(before, "node.up", cut.name(), null) != null);
        await("the lost container runs again").atMost(Duration.ofSeconds(20))
                .until(() -> tenant.get("/containers/" + victimId).expect(200).body().get("state").asText()
                        .equals("running"));
    }

    private long newestSeq() {
        JsonNode all = operator.get("/events?after=0&limit=5000").expect(200).body();
        return all.isEmpty() ? 0 : all.get(all.size() - 1).get("seq").asLong();
    }

    /** The first event after {@code after} of a type about a node (and a container, if given). */
    private JsonNode find(long after, String type, String node, String container) {
        for (JsonNode e : operator.get("/events?after=" + after + "&limit=5000").expect(200).body()) {
            if (!e.get("type").asText().equals(type)) {
                continue;
            }
            String eventNode = e.has("node") ? e.get("node").get("name").asText()
                    : e.get("container").get("node").asText();
            if (eventNode.equals(node) && (container == null || e.get("container").get("id").asText()
                    .equals(container))) {
                return e;
            }
        }
        return null;
    }
}

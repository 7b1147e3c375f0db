package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Data that was safe stays safe through unplanned events short of losing every copy, with a verifying client
 * writing throughout:
 * <ul>
 *   <li>a replica-less master with {@code aof} killed by SIGKILL restarts in place with its data;</li>
 *   <li>a node's dockerd restarting (live-restore) or the whole node crashing and booting again brings every instance
 *       back with its data, in place;</li>
 *   <li>a node whose dockerd hangs while its Redis instances keep serving is marked down within the node-down window
 *       while the other nodes stay up, and nothing is taken over, forgotten or replaced: the control plane's word
 *       alone is no evidence;</li>
 *   <li>a node holding a master cut off under a client of the cluster's endpoint leaves no command waiting longer
 *       than the proxy's reply deadline;</li>
 *   <li>a hung dockerd on one node and another node cut off at once: only the cut-off instances are healed.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataSafetyIT {

    private static final String TENANT = "safety";
    /** The lab's node lease (three 1 s heartbeats), and the margin a heartbeat round and a poll take. */
    private static final Duration NODE_DOWN_WINDOW = Duration.ofSeconds(3);
    private static final Duration MARGIN = Duration.ofSeconds(3);

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final LabResources resources = new LabResources(lab, "safety");
    private final String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
    private Scheduler redisCtl;
    private String token;
    private Cluster solo;
    private Cluster pairs;

    /** A cluster of this scenario: its id and password. */
    private record Cluster(long id, String password) {
    }

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        token = operator.issueTenantToken(TENANT);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(token);
        solo = create("solo-" + suffix, 0);
        pairs = create("pairs-" + suffix, 1);
        awaitSteady(solo, 3);
        awaitSteady(pairs, 6);
    }

    private Cluster create(String name, int replicas) {
        JsonNode created = redisCtl.post("/clusters", Map.of("name", name, "pod", "lab", "masters", 3,
                "replicas", replicas, "cpu", 0.1, "memory", "64MiB", "persistence", "aof")).expect(202).body();
        return new Cluster(created.get("id").asLong(), created.get("password").asText());
    }

    @AfterAll
    void tearDown() {
        try {
            lab.nodes().forEach(n -> lab.biu("lab", "heal", n.name()));
            Scheduler.ensureLabPod(operator, TENANT);
            for (Cluster c : new Cluster[] {solo, pairs}) {
                if (c != null) {
                    await("cluster deleted").atMost(Duration.ofSeconds(90)).until(() -> {
                        redisCtl.delete("/clusters/" + c.id());
                        return redisCtl.get("/clusters/" + c.id()).status() == 404;
                    });
                }
            }
        } finally {
            resources.close();
        }
    }

    /**
     * The cluster ready and idle, with {@code size} active instances, three masters, each holding slots, and every
     * instance saying the cluster is ok (a master back from a failure is flagged failed a little longer).
     */
    private JsonNode awaitSteady(Cluster c, int size) {
        return await("cluster " + c.id() + " steady").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    JsonNode view = steady(c, size);
                    return view != null && clusterOk(view, c.password()) ? view : null;
                }, v -> v != null);
    }

    private static boolean clusterOk(JsonNode view, String password) {
        RedisClient client = RedisClient.create();
        try {
            for (JsonNode i : view.get("instances")) {
                try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.builder()
                        .withHost(i.get("address").asText()).withPort(6379).withTimeout(Duration.ofSeconds(2))
                        .withAuthentication("default", password.toCharArray()).build())) {
                    if (!c.sync().clusterInfo().contains("cluster_state:ok")) {
                        return false;
                    }
                }
            }
            return true;
        } catch (RuntimeException notYet) {
            return false;
        } finally {
            client.shutdown();
        }
    }

    private JsonNode steady(Cluster c, int size) {
        JsonNode view = redisCtl.get("/clusters/" + c.id()).expect(200).body();
        if (!view.get("state").asText().equals("ready") || (view.get("task") != null
                && !view.get("task").get("state").asText().equals("done"))) {
            return null;
        }
        int masters = 0;
        for (JsonNode i : view.get("instances")) {
            if (!i.get("state").asText().equals("active")) {
                return null;
            }
            if (i.get("role").asText().equals("master")) {
                // a master back from a failure that a replica took over is a master without slots until it learns
                // it follows the new one
                if (i.get("slots") == null || i.get("slots").size() == 0) {
                    return null;
                }
                masters++;
            }
        }
        return view.get("instances").size() == size && masters == 3 ? view : null;
    }

    /** Each instance's container id, role and slots: what healing would have changed. */
    private static Map<Long, String> layout(JsonNode view) {
        Map<Long, String> layout = new TreeMap<>();
        for (JsonNode i : view.get("instances")) {
            layout.put(i.get("containerId").asLong(), i.get("role").asText() + " " + i.get("slots"));
        }
        return layout;
    }

    private static String seed(JsonNode view) {
        return view.get("instances").get(0).get("address").asText();
    }

    @Test
    @Order(1)
    void aKilledMasterWithoutAReplicaRestartsInPlaceWithItsData() throws Exception {
        JsonNode before = awaitSteady(solo, 3);
        JsonNode master = before.get("instances").get(1);
        Lab.Node node = node(master.get("node").asText());
        try (VerifyingLoad load = new VerifyingLoad(seed(before), solo.password())) {
            load.preload(2_000);
            load.start(2);
            Thread.sleep(1_500);
            long killedAt = System.nanoTime();
            kill(node, master.get("container").asText());
            JsonNode after = awaitSteady(solo, 3);
            double back = (System.nanoTime() - killedAt) / 1e9;
            Thread.sleep(2_000);
            load.stop();
            VerifyingLoad.Loss loss = load.lossAround(killedAt - Duration.ofSeconds(1).toNanos());
            String report = String.format("kill -9 of a replica-less aof master: back in place, serving, %.1f s "
                    + "after the kill; %d writes acknowledged, %d lost of those acknowledged more than 1 s before the "
                    + "kill, %d of those in its last second; client errors for %.1f s (%d errors)", back,
                    load.acknowledgedKeys(), loss.before().size(), loss.after().size(),
                    load.errorWindow().toMillis() / 1000.0, load.errors().size());
            System.out.println("data safety: " + report);
            assertTrue(load.writes() > 500, "writes were in flight: " + report);
            assertEquals(List.of(), loss.before().stream().limit(10).toList(), report);
            assertEquals(layout(before), layout(after), "restarted in place, nothing replaced: " + report);
            InspectContainerResponse inspected = resources.docker(node.index())
                    .inspectContainerCmd(master.get("container").asText()).exec();
            assertTrue(inspected.getRestartCount() >= 1, "its engine restarted it: " + report);
        }
    }

    @Test
    @Order(2)
    void aDockerdRestartAndANodeRebootBringEveryInstanceBackWithItsData() throws Exception {
        JsonNode before = awaitSteady(solo, 3);
        Lab.Node node = node(before.get("instances").get(0).get("node").asText());
        try (VerifyingLoad load = new VerifyingLoad(seed(before), solo.password())) {
            load.preload(2_000);
            load.start(2);
            Thread.sleep(1_000);
            assertEquals(0, lab.biu("lab", "restart", node.name()).exitCode());
            JsonNode afterRestart = awaitSteady(solo, 3);
            assertEquals(layout(before), layout(afterRestart), "nothing replaced after a dockerd restart");

            long crashedAt = System.nanoTime();
            assertEquals(0, lab.biu("lab", "crash", node.name()).exitCode());
            Thread.sleep(2_000);
            assertEquals(0, lab.biu("lab", "heal", node.name()).exitCode());
            JsonNode afterReboot = awaitSteady(solo, 3);
            double back = (System.nanoTime() - crashedAt) / 1e9;
            Thread.sleep(2_000);
            load.stop();
            VerifyingLoad.Loss loss = load.lossAround(crashedAt - Duration.ofSeconds(1).toNanos());
            String report = String.format("dockerd restart, then a crash and boot of %s: every instance back in "
                    + "place %.1f s after the crash; %d writes acknowledged, %d lost of those acknowledged more than "
                    + "1 s before the crash, %d in its last second; client errors for %.1f s (%d errors)", node.name(),
                    back, load.acknowledgedKeys(), loss.before().size(), loss.after().size(),
                    load.errorWindow().toMillis() / 1000.0, load.errors().size());
            System.out.println("data safety: " + report);
            assertTrue(load.writes() > 1_000, "writes were in flight: " + report);
            assertEquals(List.of(), loss.before(), report);
            assertEquals(layout(before), layout(afterReboot), "nothing replaced after a reboot: " + report);
        }
    }

    @Test
    @Order(3)
    void aHungDockerdIsMarkedDownButNothingIsHealedWhileItsInstancesServe() throws Exception {
        JsonNode before = awaitSteady(pairs, 6);
        Lab.Node hung = node(mostMasters(before));
        try (VerifyingLoad load = new VerifyingLoad(seed(before), pairs.password())) {
            load.preload(2_000);
            load.start(2);
            Thread.sleep(1_000);
            long hungAt = System.nanoTime();
            assertEquals(0, lab.biu("lab", "hang", hung.name()).exitCode());
            Duration down;
            List<String> othersDown = new ArrayList<>();
            try {
                // the hung node goes down within the window, the others stay up throughout
                long deadline = hungAt + Duration.ofSeconds(20).toNanos();
                long downAt = 0;
                while (System.nanoTime() < deadline) {
                    for (JsonNode n : operator.get("/nodes").expect(200).body()) {
                        boolean isDown = !n.get("state").asText().equals("up");
                        if (n.get("name").asText().equals(hung.name())) {
                            downAt = isDown && downAt == 0 ? System.nanoTime() : downAt;
                        } else if (isDown) {
                            othersDown.add(n.get("name").asText());
                        }
                    }
                    Thread.sleep(250);
                }
                down = downAt == 0 ? null : Duration.ofNanos(downAt - hungAt);
                JsonNode during = redisCtl.get("/clusters/" + pairs.id()).expect(200).body();
                assertEquals(layout(before), layout(during), "nothing taken over, forgotten or replaced while "
                        + hung.name() + "'s instances serve");
                assertEquals(before.get("task").get("id").asLong(), during.get("task").get("id").asLong(),
                        "no healing task");
            } finally {
                assertEquals(0, lab.biu("lab", "heal", hung.name()).exitCode());
            }
            JsonNode after = awaitSteady(pairs, 6);
            load.stop();
            List<String> lost = load.verify();
            String report = String.format("dockerd of %s hung for 20 s: marked down after %s, other nodes down: %s; "
                    + "%d writes acknowledged, %d lost; client errors: %d", hung.name(),
                    down == null ? "never" : down.toMillis() + " ms", othersDown, load.acknowledgedKeys(),
                    lost.size(), load.errors().size());
            System.out.println("data safety: " + report);
            assertTrue(down != null && down.compareTo(NODE_DOWN_WINDOW.plus(MARGIN)) < 0, report);
            assertEquals(List.of(), othersDown, report);
            assertEquals(List.of(), lost, report);
            assertEquals(layout(before), layout(after), "nothing changed when it came back: " + report);
            assertTrue(load.writes() > 1_000, "writes were in flight: " + report);
        }
    }

    /**
     * A node holding a master is cut off (packets dropped, not refused) under a client writing through the cluster's
     * endpoint: commands already sent to the cut-off master get an answer within the proxy's reply deadline (the
     * node timeout plus the retry window), reads and writes go on once the replica took over, and the client never
     * waits longer than that bound.
     */
    @Test
    @Order(4)
    void aPartitionedMasterLeavesNoClientOfTheEndpointWaitingBeyondTheBound() throws Exception {
        Scheduler admin = operator.at(lab.service("admin.url")).as(token);
        // one proxy: a core of its own fits beside the clusters on the lab's nodes
        JsonNode issued = admin.post("/endpoints", Map.of("cluster", pairs.id(), "proxies", 1)).expect(201).body();
        long endpoint = issued.get("id").asLong();
        try {
            partitionUnderAClientOf(admin, issued);
        } finally {
            admin.delete("/endpoints/" + endpoint);
        }
    }

    private void partitionUnderAClientOf(Scheduler admin, JsonNode issued) throws Exception {
        long endpoint = issued.get("id").asLong();
        JsonNode ready = await("endpoint ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.get("/endpoints/" + endpoint).expect(200).body(),
                        e -> e.get("state").asText().equals("ready"));
        java.util.Set<String> proxyNodes = new java.util.HashSet<>();
        ready.get("proxies").forEach(p -> proxyNodes.add(p.get("node").asText()));
        Lab.Node cut = lab.nodes().stream().filter(n -> !proxyNodes.contains(n.name())).findFirst()
                .orElseThrow(() -> new AssertionError("every node runs a proxy: " + ready));
        holdAMaster(cut);
        String address = ready.get("addresses").get(0).asText();
        RedisClient client = RedisClient.create();
        RedisURI uri = RedisURI.builder().withHost(address.substring(0, address.lastIndexOf(':')))
                .withPort(Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)))
                .withAuthentication("default", issued.get("password").asText().toCharArray())
                .withTimeout(Duration.ofSeconds(60)).build();
        // the proxy answers every command it sent within its reply deadline: the lab's node timeout plus its retry
        // window; a read it re-sends may take one more retry window
        Duration bound = Duration.ofSeconds(2 + 10 + 10);
        try (ProxyLoad load = new ProxyLoad(client, uri, "cut:")) {
            load.start(4);
            await("load running").atMost(Duration.ofSeconds(20)).until(() -> load.writes() > 300);
            long cutAt = System.nanoTime();
            double healed;
            try {
                assertEquals(0, lab.biu("lab", "partition", cut.name()).exitCode());
                awaitSteady(pairs, 6);
                healed = (System.nanoTime() - cutAt) / 1e9;
                long writes = load.writes();
                await("writes go on").atMost(Duration.ofSeconds(30)).until(() -> load.writes() > writes + 300);
            } finally {
                assertEquals(0, lab.biu("lab", "heal", cut.name()).exitCode());
            }
            load.stop();
            List<String> lost = load.verify();
            String report = String.format("%s cut off under a client of the endpoint: full strength again %.1f s "
                    + "after the cut; client errors for %d ms (%d errors of %d writes and %d reads); the longest any "
                    + "command waited: %d ms (bound %d ms); acknowledged writes lost: %d of %d (asynchronous "
                    + "replication)", cut.name(), healed, load.errorWindowMillis(), load.errors().size(), load.writes(),
                    load.reads(), load.longestWaitMillis(), bound.toMillis(), lost.size(), load.acknowledgedKeys());
            System.out.println("data safety: " + report);
            System.out.println("data safety: first errors: " + load.errors().stream().limit(8).toList());
            assertTrue(load.longestWaitMillis() < bound.toMillis(), report);
        } finally {
            client.shutdown();
        }
    }

    /**
     * Two failures at once: the dockerd of the node holding a master's replica hangs (its instances serve on) while the
     * node holding that master, and no other, is cut off. Only what the data plane lost is healed: the replica on the hung node takes
     * the master's slots over (Redis's own failover, on the data plane's evidence), and no instance of the hung node is
     * forgotten or replaced though its node is down on the control plane; once both nodes are back the cluster is at
     * full strength again. Writes acknowledged more than a second before the cut all survive; those of its last second
     * that the replica had not yet received are counted (asynchronous replication).
     */
    @Test
    @Order(5)
    void aHungDockerdAndACutOffNodeAtOnceHealOnlyWhatTheDataPlaneLost() throws Exception {
        Lab.Node cut = node(aNodeWithOneMaster());
        JsonNode before = awaitSteady(pairs, 6);
        Lab.Node hung = node(replicaNodeOfAMasterOn(before, cut.name()));
        List<Long> onHung = containersOn(before, hung.name());
        try (VerifyingLoad load = new VerifyingLoad(seed(before, cut.name()), pairs.password())) {
            load.preload(2_000);
            load.start(2);
            Thread.sleep(1_000);
            long failedAt = System.nanoTime();
            JsonNode during;
            long writesAtFailure = load.writes();
            try {
                assertEquals(0, lab.biu("lab", "hang", hung.name()).exitCode());
                assertEquals(0, lab.biu("lab", "partition", cut.name()).exitCode());
                Thread.sleep(Duration.ofSeconds(25).toMillis());
                during = redisCtl.get("/clusters/" + pairs.id()).expect(200).body();
            } finally {
                assertEquals(0, lab.biu("lab", "heal", cut.name()).exitCode());
                assertEquals(0, lab.biu("lab", "heal", hung.name()).exitCode());
            }
            long writesDuring = load.writes() - writesAtFailure;
            JsonNode after = awaitSteady(pairs, 6);
            double back = (System.nanoTime() - failedAt) / 1e9;
            Thread.sleep(1_000);
            load.stop();
            VerifyingLoad.Loss loss = load.lossAround(failedAt - Duration.ofSeconds(1).toNanos());
            String report = String.format("dockerd of %s hung and %s cut off for 25 s: %d writes during them; "
                    + "full strength %.1f s after they began; %d writes acknowledged, %d lost of those acknowledged "
                    + "more than 1 s before, %d of those in its last second; client errors for %.1f s (%d errors); "
                    + "during the failures the cluster read: %s", hung.name(), cut.name(), writesDuring, back,
                    load.acknowledgedKeys(), loss.before().size(), loss.after().size(),
                    load.errorWindow().toMillis() / 1000.0, load.errors().size(), layoutWithStates(during));
            System.out.println("data safety: " + report);
            assertTrue(writesDuring > 500, "writes went on once the replica took over: " + report);
            assertEquals(List.of(), loss.before().stream().limit(10).toList(), report);
            assertEquals(onHung, containersOn(during, hung.name()), "the hung node's instances were left alone while "
                    + "its node was down: " + report);
            assertTrue(onHung.stream().allMatch(c -> layout(after).containsKey(c)), "the hung node's instances are "
                    + "still the cluster's: " + report);
            List<Long> replaced = containersOn(before, cut.name()).stream()
                    .filter(c -> !containersOn(during, cut.name()).contains(c)).toList();
            assertTrue(replaced.stream().noneMatch(c -> layout(after).containsKey(c)), "the cut-off instances "
                    + "replaced meanwhile do not come back into the cluster with their node: " + report);
        }
    }

    /**
     * A node holding exactly one master, made so if none does: cutting it off leaves two of the three masters to elect
     * its replica (a node holding two masters cut off leaves no majority, and Redis no failover).
     */
    private String aNodeWithOneMaster() {
        Map<String, Integer> masters = mastersPerNode(awaitSteady(pairs, 6));
        for (Map.Entry<String, Integer> e : masters.entrySet()) {
            if (e.getValue() == 1) {
                return e.getKey();
            }
        }
        // all three masters on one node: a replica elsewhere takes one over
        String replicas = masters.entrySet().stream().filter(e -> e.getValue() == 0).findFirst().orElseThrow()
                .getKey();
        holdAMaster(node(replicas));
        return replicas;
    }

    /** The node of the replica of a master on {@code node}. */
    private static String replicaNodeOfAMasterOn(JsonNode view, String node) {
        for (JsonNode m : view.get("instances")) {
            if (m.get("node").asText().equals(node) && m.get("role").asText().equals("master")) {
                for (JsonNode r : view.get("instances")) {
                    if (r.get("shard").asInt() == m.get("shard").asInt() && !r.get("role").asText().equals("master")) {
                        return r.get("node").asText();
                    }
                }
            }
        }
        throw new AssertionError(node + " holds no master with a replica: " + view);
    }

    /**
     * The container ids of the cluster's instances on {@code node} that are neither failed nor abandoned (a suspect, one
     * whose node is down on the control plane, is still a member), in id order.
     */
    private static List<Long> containersOn(JsonNode view, String node) {
        List<Long> ids = new ArrayList<>();
        for (JsonNode i : view.get("instances")) {
            String state = i.get("state").asText();
            if (i.get("node").asText().equals(node) && !state.equals("failed") && !state.equals("abandoned")) {
                ids.add(i.get("containerId").asLong());
            }
        }
        ids.sort(null);
        return ids;
    }

    private static Map<Long, String> layoutWithStates(JsonNode view) {
        Map<Long, String> layout = new TreeMap<>();
        for (JsonNode i : view.get("instances")) {
            layout.put(i.get("containerId").asLong(), i.get("node").asText() + " " + i.get("role").asText() + " "
                    + i.get("state").asText());
        }
        return layout;
    }

    /** The address of an instance on a node other than {@code avoid}, for the client to learn the cluster from. */
    private static String seed(JsonNode view, String avoid) {
        for (JsonNode i : view.get("instances")) {
            if (!i.get("node").asText().equals(avoid)) {
                return i.get("address").asText();
            }
        }
        throw new AssertionError("every instance is on " + avoid + ": " + view);
    }

    /** Has a replica on {@code node} take over from its master (gracefully) unless the node holds a master already. */
    private void holdAMaster(Lab.Node node) {
        JsonNode view = awaitSteady(pairs, 6);
        JsonNode replica = null;
        for (JsonNode i : view.get("instances")) {
            if (i.get("node").asText().equals(node.name())) {
                if (i.get("role").asText().equals("master")) {
                    return;
                }
                replica = i;
            }
        }
        assertTrue(replica != null, node.name() + " holds no instance of the cluster: " + view);
        String address = replica.get("address").asText();
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.builder().withHost(address)
                .withPort(6379).withAuthentication("default", pairs.password().toCharArray()).build())) {
            c.sync().clusterFailover(false);
        } finally {
            client.shutdown();
        }
        await(address + " promoted").atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode now = steady(pairs, 6);
            if (now == null) {
                return false;
            }
            for (JsonNode i : now.get("instances")) {
                if (i.get("address").asText().equals(address)) {
                    return i.get("role").asText().equals("master");
                }
            }
            return false;
        });
    }

    private static String mostMasters(JsonNode view) {
        return mastersPerNode(view).entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** How many masters each node holding an instance of the cluster holds. */
    private static Map<String, Integer> mastersPerNode(JsonNode view) {
        Map<String, Integer> masters = new TreeMap<>();
        for (JsonNode i : view.get("instances")) {
            masters.merge(i.get("node").asText(), i.get("role").asText().equals("master") ? 1 : 0, Integer::sum);
        }
        return masters;
    }

    private Lab.Node node(String name) {
        return lab.nodes().stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
    }

    /**
     * SIGKILL to the Redis server of a container, from this machine (the container's init is its PID 1 and passes
     * nothing on): as a crash or the kernel's OOM killer would.
     */
    private void kill(Lab.Node node, String container) throws Exception {
        long init = resources.docker(node.index()).inspectContainerCmd(container).exec().getState().getPidLong();
        String children = Files.readString(Path.of("/proc/" + init + "/task/" + init + "/children")).trim();
        String server = children.split("\\s+")[0];
        Process kill = new ProcessBuilder("kill", "-KILL", server).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -KILL " + server);
    }
}

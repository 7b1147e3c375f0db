package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Clusters on request: a 3x1 cluster is formed on the lab with every instance reporting cluster_state:ok,
 * no master on its replica's node, AUTH required, maxmemory set and the password nowhere it must not be;
 * deleting it leaves nothing; bad requests are refused with what to fix, and leave nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCtlFormationIT {

    private static final String TENANT = "formation";
    private static final long MIB = 1024 * 1024;
    /** Names differ per run, so that a leftover of an aborted run cannot collide. */
    private final String run = Long.toHexString(System.nanoTime() & 0xffffff);

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final LabResources resources = new LabResources(lab, "formation");
    private final List<Long> created = new ArrayList<>();
    private Scheduler scheduler;
    private Scheduler redisCtl;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        String token = operator.issueTenantToken(TENANT);
        scheduler = operator.as(token);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(token);
    }

    /** Deletes what the scenarios left and waits for it to be gone, so later scenarios find the pod as it was. */
    @AfterAll
    void tearDown() {
        try {
            for (long id : created) {
                await("cluster " + id + " deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                    redisCtl.delete("/clusters/" + id);
                    return redisCtl.get("/clusters/" + id).status() == 404;
                });
            }
        } finally {
            resources.close();
        }
    }

    private Map<String, Object> spec(String name) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("pod", "lab");
        spec.put("masters", 3);
        spec.put("replicas", 1);
        spec.put("cpu", 0.1);
        spec.put("memory", "64MiB");
        spec.put("persistence", "aof");
        return spec;
    }

    private JsonNode awaitState(long id, String state) {
        return await("cluster " + id + " " + state).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonNode c = redisCtl.get("/clusters/" + id).expect(200).body();
                    assertNotEquals("failed", c.get("state").asText(), () -> "the cluster failed: " + c.get("task"));
                    return c;
                }, c -> c.get("state").asText().equals(state));
    }

    private static <T> T on(String address, String password, Function<RedisCommands<String, String>, T> work) {
        RedisClient client = RedisClient.create();
        RedisURI.Builder uri = RedisURI.builder().withHost(address).withPort(6379).withTimeout(Duration.ofSeconds(5));
        if (password != null) {
            uri.withAuthentication("default", password.toCharArray());
        }
        try (StatefulRedisConnection<String, String> c = client.connect(uri.build())) {
            return work.apply(c.sync());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aClusterIsFormedAndDeletedAgain() throws IOException {
        JsonNode reply = redisCtl.post("/clusters", spec("orders-" + run)).expect(202).body();
        long id = reply.get("id").asLong();
        created.add(id);
        String password = reply.get("password").asText();
        assertTrue(password.length() >= 24, "a long random password");
        assertTrue(reply.get("taskId").asLong() > 0);

        JsonNode cluster = awaitState(id, "ready");
        JsonNode instances = cluster.get("instances");
        assertEquals(6, instances.size());
        assertFalse(cluster.toString().contains(password), "GET never shows the password");

        // every instance: AUTH required, maxmemory below the container's 64 MiB, cluster_state:ok
        Map<String, String> nodeByRedisId = new HashMap<>();
        for (JsonNode i : instances) {
            nodeByRedisId.put(i.get("redisId").asText(), i.get("node").asText());
        }
        int masters = 0;
        for (JsonNode i : instances) {
            String address = i.get("address").asText();
            assertTrue(causes(assertThrows(RuntimeException.class, () -> on(address, null, r -> r.get("x"))))
                    .contains("NOAUTH"), "an instance without AUTH refuses");
            String wrong = causes(assertThrows(RuntimeException.class, () -> on(address, "wrong", r -> r.ping())));
            assertTrue(wrong.contains("WRONGPASS"), "a wrong password is refused: " + wrong);
            on(address, password, r -> {
                assertEquals("ok", field(r.clusterInfo(), "cluster_state"), address);
                assertEquals("48", String.valueOf(Long.parseLong(r.configGet("maxmemory").get("maxmemory")) / MIB));
                assertEquals("yes", r.configGet("appendonly").get("appendonly"));
                String myself = r.clusterNodes().lines().filter(l -> l.contains("myself")).findFirst().orElseThrow();
                String[] f = myself.split(" ");
                if (f[2].contains("slave")) {
                    assertNotEquals(nodeByRedisId.get(f[3]), i.get("node").asText(),
                            "replica " + address + " shares node " + i.get("node").asText() + " with its master");
                }
                return null;
            });
            masters += i.get("role").asText().equals("master") ? 1 : 0;
            if (i.get("role").asText().equals("master")) {
                assertTrue(i.get("slots").size() > 0, "a master serves slots: " + i);
            }
        }
        assertEquals(3, masters);

        // the cluster serves: keys across all slots written through a cluster client and read back
        RedisClusterClient client = RedisClusterClient.create(RedisURI.builder()
                .withHost(instances.get(0).get("address").asText()).withPort(6379)
                .withAuthentication("default", password.toCharArray()).build());
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            for (int k = 0; k < 1000; k++) {
                c.sync().set("key:" + k, "value:" + k);
            }
            for (int k = 0; k < 1000; k++) {
                assertEquals("value:" + k, c.sync().get("key:" + k));
            }
        } finally {
            client.shutdown();
        }

        // the password is in no label, environment, command line or other part of docker inspect, no event
        // and no log
        for (JsonNode i : instances) {
            Lab.Node node = lab.nodes().stream().filter(n -> n.name().equals(i.get("node").asText())).findFirst()
                    .orElseThrow();
            DockerClient docker = resources.docker(node.index());
            String inspect = Scheduler.JSON.writeValueAsString(docker.inspectContainerCmd(
                    i.get("container").asText()).exec());
            assertTrue(inspect.contains("redis-server"), "inspect shows the container");
            assertFalse(inspect.contains(password), "docker inspect of " + i.get("container") + " holds the password");
        }
        assertFalse(operator.get("/events?after=0&limit=5000").expect(200).body().toString().contains(password));
        try (Stream<Path> logs = Files.list(lab.dataDir.resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertFalse(Files.readString(log, java.nio.charset.StandardCharsets.ISO_8859_1).contains(password),
                        log + " holds the password");
            }
        }

        // INFO of every instance, and the cluster's sums, reach InfluxDB
        String name = cluster.get("name").asText();
        assertEquals(6, await("instance series").atMost(Duration.ofSeconds(30)).until(() -> lab.influxSeries(
                "SELECT last(used_memory) FROM redis_instance WHERE cluster = '" + name + "' GROUP BY instance"),
                n -> n == 6));
        assertEquals(1, await("cluster series").atMost(Duration.ofSeconds(30)).until(() -> lab.influxSeries(
                "SELECT last(\"keys\"), last(cluster_ok) FROM redis_cluster WHERE cluster = '" + name
                        + "' AND \"keys\" >= 1000 AND cluster_ok = 1"), n -> n == 1));

        // deletion removes the containers, the app and the cluster
        long task = redisCtl.delete("/clusters/" + id).expect(202).body().get("id").asLong();
        await("cluster deleted").atMost(Duration.ofSeconds(60)).until(() -> redisCtl.get("/clusters/" + id)
                .status() == 404);
        assertEquals("done", redisCtl.get("/tasks/" + task).expect(200).body().get("state").asText());
        assertEquals(404, scheduler.get("/apps/redis-orders-" + run).status());
        created.remove(id);
    }

    /** The messages of an exception and its causes. */
    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }

    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim())
                .findFirst().orElse(null);
    }

    /**
     * A pod whose containers share their node's network (registered over the lab's engines under other node
     * names): instances listen on host ports the scheduler allocated and announce their node's address, so
     * a cluster client reaches every master by what CLUSTER NODES says.
     */
    @Test
    void onHostNetworkingInstancesAnnounceTheirNodesAddressAndHostPorts() {
        String pod = "hostnet-" + run;
        operator.post("/pods", Map.of("name", pod, "shareBase", 10, "tenants", List.of(TENANT),
                "network", Map.of("mode", "host"))).expect(201);
        List<String> nodes = new ArrayList<>();
        long id = -1;
        try {
            Map<String, String> nodeAddresses = new HashMap<>();
            for (Lab.Node n : lab.nodes()) {
                String name = pod + "-" + n.index();
                operator.post("/nodes", Map.of("name", name, "pod", pod, "endpoint", n.dockerHost())).expect(201);
                nodes.add(name);
                nodeAddresses.put(name, n.address());
            }
            Map<String, Object> spec = spec("hostnet-" + run);
            spec.put("pod", pod);
            spec.put("replicas", 0);
            spec.put("persistence", "none");
            JsonNode reply = redisCtl.post("/clusters", spec).expect(202).body();
            id = reply.get("id").asLong();
            String password = reply.get("password").asText();
            JsonNode cluster = awaitState(id, "ready");
            List<String> endpoints = new ArrayList<>();
            for (JsonNode i : cluster.get("instances")) {
                String node = i.get("node").asText();
                int port = i.get("port").asInt();
                assertEquals(nodeAddresses.get(node), i.get("address").asText(), "the node's address: " + i);
                assertTrue(port >= 20000 && port <= 29999, "a host port of the scheduler's range: " + i);
                endpoints.add(i.get("address").asText() + ":" + port);
            }
            String[] first = endpoints.get(0).split(":");
            RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost(first[0])
                    .withPort(Integer.parseInt(first[1])).withAuthentication("default", password.toCharArray())
                    .withTimeout(Duration.ofSeconds(5)).build());
            try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
                String nodesView = c.sync().clusterNodes();
                for (String endpoint : endpoints) {
                    assertTrue(nodesView.contains(" " + endpoint + "@"), "announced as " + endpoint + ":\n" + nodesView);
                    assertFalse(nodesView.contains(":" + 6379 + "@"), "no instance announces the container port");
                }
                for (int k = 0; k < 300; k++) {
                    c.sync().set("host:" + k, "v" + k);
                }
                for (int k = 0; k < 300; k++) {
                    assertEquals("v" + k, c.sync().get("host:" + k));
                }
            } finally {
                client.shutdown();
            }

            // its endpoint's proxy listens on a host port of its node too
            Scheduler admin = redisCtl.at(lab.service("admin.url"));
            JsonNode endpoint = admin.post("/endpoints", Map.of("cluster", id, "proxies", 1)).expect(201).body();
            long endpointId = endpoint.get("id").asLong();
            String[] proxy = endpoint.get("addresses").get(0).asText().split(":");
            assertTrue(nodeAddresses.containsValue(proxy[0]), "the proxy is at its node's address: " + endpoint);
            int proxyPort = Integer.parseInt(proxy[1]);
            assertTrue(proxyPort >= 20000 && proxyPort <= 29999, "on a host port: " + endpoint);
            await("proxy ready").atMost(Duration.ofSeconds(60)).until(() -> admin.get("/endpoints/" + endpointId)
                    .expect(200).body().get("state").asText().equals("ready"));
            RedisClient single = RedisClient.create(RedisURI.builder().withHost(proxy[0]).withPort(proxyPort)
                    .withAuthentication("default", endpoint.get("password").asText().toCharArray())
                    .withTimeout(Duration.ofSeconds(5)).build());
            try (StatefulRedisConnection<String, String> c = single.connect()) {
                for (int k = 0; k < 100; k++) {
                    assertEquals("v" + k, c.sync().get("host:" + k));
                }
            } finally {
                single.shutdown();
            }
            admin.delete("/endpoints/" + endpointId).expect(204);
        } finally {
            long cluster = id;
            if (cluster >= 0) {
                await("cluster " + cluster + " deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                    redisCtl.delete("/clusters/" + cluster);
                    return redisCtl.get("/clusters/" + cluster).status() == 404;
                });
            }
            nodes.forEach(n -> operator.delete("/nodes/" + n));
            operator.delete("/pods/" + pod);
        }
    }

    @Test
    void badRequestsAreRefusedWithWhatToFixAndLeaveNothing() {
        Map<String, Object> good = spec("refusals-" + run);
        int clustersBefore = redisCtl.get("/clusters").expect(200).body().size();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("name", "Bad_Name");
        cases.put("masters", "0");
        cases.put("replicas", "-1");
        cases.put("cpu", "0");
        cases.put("memory", "lots");
        cases.put("persistence", "fsync");
        cases.put("eviction", "lru");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            Map<String, Object> spec = new LinkedHashMap<>(good);
            spec.put(bad.getKey(), bad.getValue().matches("-?\\d+") ? Integer.parseInt(bad.getValue()) : bad.getValue());
            JsonNode error = redisCtl.post("/clusters", spec).expect(400).body();
            assertTrue(error.get("message").asText().contains(bad.getKey()), bad + " -> " + error);
        }
        for (Object absurd : List.of(1000, 1e9)) {
            Map<String, Object> spec = new LinkedHashMap<>(good);
            spec.put("cpu", absurd);
            assertTrue(redisCtl.post("/clusters", spec).expect(400).body().get("message").asText().contains("cpu"));
        }
        Map<String, Object> tiny = new LinkedHashMap<>(good);
        tiny.put("memory", "1MiB");
        assertTrue(redisCtl.post("/clusters", tiny).expect(400).body().get("message").asText().contains("64MiB"));
        Map<String, Object> huge = new LinkedHashMap<>(good);
        huge.put("memory", "9999999TiB");
        redisCtl.post("/clusters", huge).expect(400);

        Map<String, Object> unknownPod = new LinkedHashMap<>(good);
        unknownPod.put("pod", "no-such-pod");
        assertTrue(redisCtl.post("/clusters", unknownPod).expect(404).body().get("message").asText()
                .contains("no-such-pod"));

        assertEquals(400, redisCtl.sendJson("POST", "/clusters", "{\"name\": ").status(), "malformed JSON");
        assertEquals(401, redisCtl.as("biu_not-a-token").get("/clusters").status());
        assertEquals(401, redisCtl.as("").get("/clusters").status());

        // a tenant the pod is not granted to does not even see it
        Scheduler stranger = redisCtl.as(operator.issueTenantToken("formation-stranger"));
        assertTrue(stranger.post("/clusters", good).expect(404).body().get("message").asText().contains("lab"));

        // nothing was half-created by any of the refusals
        assertEquals(clustersBefore, redisCtl.get("/clusters").expect(200).body().size());
        assertEquals(404, scheduler.get("/apps/redis-refusals-" + run).status());

        // a duplicate name, another tenant's cluster, and an operation while a task runs
        JsonNode first = redisCtl.post("/clusters", good).expect(202).body();
        long id = first.get("id").asLong();
        created.add(id);
        assertTrue(redisCtl.post("/clusters", good).expect(409).body().get("message").asText().contains("refusals"));
        Scheduler otherTenant = redisCtl.as(operator.issueTenantToken("formation-other"));
        assertEquals(404, otherTenant.get("/clusters/" + id).status());
        assertEquals(404, otherTenant.delete("/clusters/" + id).status());
        assertEquals(404, otherTenant.get("/tasks/" + first.get("taskId").asLong()).status());
        JsonNode busy = redisCtl.delete("/clusters/" + id).expect(409).body();
        assertEquals("BUSY", busy.get("error").asText(), busy.toString());
        assertNotNull(awaitState(id, "ready"));
    }
}

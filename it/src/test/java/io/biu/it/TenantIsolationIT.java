package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Tenant B runs its own Redis in the pod where tenant A's cluster runs, and from inside its container tries what a
 * takeover takes: joining A's cluster bus (with and without the TLS bus port), claiming every slot with a higher
 * epoch, replicating from A's masters (through their client and their TLS ports), and talking to A's instances
 * directly. Meanwhile A's client writes and reads through A's endpoint. Every attempt fails; A's client sees no error
 * and reads back every write; A's instances know only each other; nothing of A's ever connects to B's container.
 * Then A tries to remove, scale and delete its cluster's containers through the scheduler and is refused (they are
 * redis-ctl's to change); an operator removes one, and redis-ctl replaces it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationIT {

    private static final String A = "isolation-a";
    private static final String B = "isolation-b";
    /** Where B's servers say connections came from. */
    private static final Pattern ACCEPTED = Pattern.compile("Accept(?:ed|ing cluster node connection from) ([^:\\s]+)");

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
    private final String name = "iso-" + suffix;
    private final String intruderApp = "intruder-" + suffix;
    private Scheduler redisCtl;
    private Scheduler admin;
    private Scheduler intruder;
    private Scheduler schedulerA;
    private long cluster = -1;
    private String clusterPassword;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, A);
        Scheduler.ensureLabPod(operator, B);
        String tokenA = operator.issueTenantToken(A);
        schedulerA = operator.as(tokenA);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(tokenA);
        admin = operator.at(lab.service("admin.url")).as(tokenA);
        intruder = operator.as(operator.issueTenantToken(B));
        JsonNode created = redisCtl.post("/clusters", Map.of("name", name, "pod", "lab", "masters", 2,
                "replicas", 1, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
        cluster = created.get("id").asLong();
        clusterPassword = created.get("password").asText();
        // B's own Redis, as any tenant may run one: cluster mode on, saying whom it lets in
        intruder.post("/apps", Map.of("name", intruderApp, "pod", "lab", "image", lab.lab("image.redis"), "cpu", 0.1,
                "memory", "64MiB", "probe", Map.of("tcp", 6379), "stopGraceSeconds", 1, "command", List.of(
                        "redis-server", "--port", "6379", "--cluster-enabled", "yes", "--save", "",
                        "--protected-mode", "no", "--loglevel", "verbose", "--dir", "/tmp"))).expect(201);
        await("cluster ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                redisCtl.get("/clusters/" + cluster).expect(200).body().get("state").asText().equals("ready"));
    }

    @AfterAll
    void tearDown() {
        intruder.delete("/apps/" + intruderApp);
        for (JsonNode e : admin.get("/endpoints").expect(200).body()) {
            admin.delete("/endpoints/" + e.get("id").asLong());
        }
        if (cluster >= 0) {
            await("cluster deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                redisCtl.delete("/clusters/" + cluster);
                return redisCtl.get("/clusters/" + cluster).status() == 404;
            });
        }
    }

    @Test
    @Order(1)
    void anotherTenantsRedisCannotJoinReplicateOrRedirectACluster() throws Exception {
        JsonNode endpoint = admin.post("/endpoints", Map.of("cluster", cluster)).expect(201).body();
        String endpointPassword = endpoint.get("password").asText();
        String endpointAddress = endpoint.get("addresses").get(0).asText();
        long endpointId = endpoint.get("id").asLong();
        await("endpoint ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                admin.get("/endpoints/" + endpointId).expect(200).body().get("state").asText().equals("ready"));
        JsonNode box = intruder.post("/apps/" + intruderApp + "/containers", Map.of("count", 1)).expect(201).body()
                .get(0);
        long boxId = box.get("id").asLong();
        JsonNode boxReady = await("B's Redis ready").atMost(Duration.ofSeconds(60)).until(
                () -> intruder.get("/containers/" + boxId).expect(200).body(), c -> c.get("ready").asBoolean());
        Lab.Node boxNode = lab.nodes().stream().filter(n -> n.name().equals(boxReady.get("node").asText()))
                .findFirst().orElseThrow();

        List<JsonNode> instances = new ArrayList<>();
        redisCtl.get("/clusters/" + cluster).expect(200).body().get("instances").forEach(instances::add);
        assertEquals(4, instances.size(), instances.toString());
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (JsonNode i : instances) {
            addresses.add(i.get("address").asText());
            try (Victim v = new Victim(i.get("address").asText(), clusterPassword)) {
                ids.add(v.redis.clusterMyId());
            }
        }
        List<String> masters = instances.stream().filter(i -> i.get("role").asText().equals("master"))
                .map(i -> i.get("address").asText()).toList();

        try (DockerClient docker = lab.docker(boxNode); Load load = new Load(endpointAddress, endpointPassword)) {
            String box1 = boxReady.get("engineId").asText();
            load.start();
            await("A's client at work").atMost(Duration.ofSeconds(30)).until(() -> load.ok.get() >= 200);

            List<String> said = new ArrayList<>();
            // two more servers of B's, not in cluster mode, to replicate with
            said.add(tell(docker, box1, "redis-server", "--port", "7000", "--daemonize", "yes", "--save", "",
                    "--dir", "/tmp", "--loglevel", "verbose", "--logfile", "/tmp/7000.log"));
            said.add(tell(docker, box1, "redis-server", "--port", "7001", "--daemonize", "yes", "--save", "",
                    "--dir", "/tmp", "--loglevel", "verbose", "--logfile", "/tmp/7001.log"));
            for (String victim : addresses) {
                // join the bus: at the TLS bus port, at the port + 10000 a plain bus would use
                said.add(tell(docker, box1, "redis-cli", "CLUSTER", "MEET", victim, "6379", "16380"));
                said.add(tell(docker, box1, "redis-cli", "CLUSTER", "MEET", victim, "6380"));
                said.add(tell(docker, box1, "redis-cli", "CLUSTER", "MEET", victim, "6379"));
                // talk to the instance itself, on its client and its TLS port
                said.add(tell(docker, box1, "redis-cli", "-h", victim, "CLUSTER", "NODES"));
                said.add(tell(docker, box1, "redis-cli", "-h", victim, "CLUSTER", "MEET", "127.0.0.1", "6379"));
                said.add(tell(docker, box1, "redis-cli", "-h", victim, "-p", "6380", "PING"));
            }
            // claim every slot, with the highest epoch around
            said.add(tell(docker, box1, "redis-cli", "CLUSTER", "ADDSLOTSRANGE", "0", "16383"));
            for (int i = 0; i < 5; i++) {
                said.add(tell(docker, box1, "redis-cli", "CLUSTER", "BUMPEPOCH"));
            }
            said.add(tell(docker, box1, "redis-cli", "-p", "7000", "REPLICAOF", masters.get(0), "6379"));
            said.add(tell(docker, box1, "redis-cli", "-p", "7001", "REPLICAOF", masters.get(0), "6380"));
            // the cluster's node timeout, twice, and more: time for any of it to take
            Thread.sleep(6_000);
            said.add(tell(docker, box1, "redis-cli", "CLUSTER", "MEET", masters.get(1), "6379", "16380"));
            Thread.sleep(2_000);
            String saidAll = String.join("\n", said);

            // A's instances know each other only, and keep every slot among them
            for (String victim : addresses) {
                try (Victim v = new Victim(victim, clusterPassword)) {
                    String nodes = v.redis.clusterNodes();
                    Set<String> known = new HashSet<>();
                    nodes.lines().forEach(l -> known.add(l.split(" ")[0]));
                    assertEquals(ids, known, victim + " knows only A's instances:\n" + nodes + "\nB was told:\n"
                            + saidAll);
                    assertTrue(v.redis.clusterInfo().contains("cluster_state:ok"), victim + ": "
                            + v.redis.clusterInfo());
                    for (Object range : v.redis.clusterSlots()) {
                        String owner = String.valueOf(((List<?>) ((List<?>) range).get(2)).get(0));
                        assertTrue(addresses.contains(owner), victim + " gives slots to " + owner);
                    }
                }
            }
            // B's server met no one, and its replicas got nothing
            String boxNodes = exec(docker, box1, "redis-cli", "CLUSTER", "NODES");
            assertEquals(0, boxNodes.lines().filter(l -> !l.contains("myself") && !l.contains("handshake")).count(),
                    "B's node completed no handshake:\n" + boxNodes);
            for (String port : List.of("7000", "7001")) {
                String replication = exec(docker, box1, "redis-cli", "-p", port, "INFO", "replication");
                assertTrue(replication.contains("master_link_status:down"), port + ": " + replication);
                assertEquals("0", exec(docker, box1, "redis-cli", "-p", port, "DBSIZE").trim(), port);
            }
            // asked directly, A's instances want the password
            assertTrue(saidAll.contains("NOAUTH"), saidAll);
            assertTrue(ids.stream().noneMatch(saidAll::contains), "no instance told B its id or its view:\n" + saidAll);

            // A's client: no error, every write read back
            load.stop();
            assertEquals(List.of(), load.errors, "A's client saw errors");
            assertTrue(load.ok.get() >= 200, "A's client kept working: " + load.ok.get());
            assertEquals(List.of(), load.verify(), "writes A's client lost");

            // nothing of A's (its instances, its proxies) ever connected to any of B's servers
            List<String> sources = new ArrayList<>();
            String logs = logs(docker, box1) + file(docker, box1, "/tmp/7000.log") + file(docker, box1, "/tmp/7001.log");
            Matcher m = ACCEPTED.matcher(logs);
            while (m.find()) {
                sources.add(m.group(1));
            }
            assertTrue(sources.contains("127.0.0.1"), "B's servers log whom they accept:\n" + logs);
            // B's redis-cli, and the scheduler probing its container's port from the node's side of the pod network
            Set<String> expected = Set.of("127.0.0.1", lab.lab("shim.address"));
            Set<String> others = new HashSet<>(sources);
            others.removeAll(expected);
            assertEquals(Set.of(), others, "B's servers were reached from elsewhere (A's instances: " + addresses
                    + ", A's proxies: " + endpoint.get("addresses") + ")");

            // A's proxies know A's four instances, and were never sent anywhere else
            for (JsonNode proxy : admin.get("/endpoints/" + endpointId).expect(200).body().get("proxies")) {
                JsonNode stats = proxy.get("stats");
                assertEquals("4", stats.get("cluster_members").asText(), proxy.toString());
                assertEquals("0", stats.get("cluster_members_refused").asText(), proxy.toString());
            }
        }
    }

    @Test
    @Order(2)
    void aMemberIsTheServicesToChangeAndOneRemovedByAnyoneElseIsReplaced() {
        JsonNode replica = null;
        for (JsonNode i : redisCtl.get("/clusters/" + cluster).expect(200).body().get("instances")) {
            if (i.get("role").asText().equals("replica") && i.get("state").asText().equals("active")) {
                replica = i;
            }
        }
        assertTrue(replica != null, "the cluster has an active replica");
        long removed = replica.get("containerId").asLong();
        int shard = replica.get("shard").asInt();
        // A's own token may not take down what redis-ctl runs for it
        String app = "redis-" + name;
        assertTrue(schedulerA.get("/apps/" + app).expect(200).body().get("managedBy").asText().equals("redis-ctl"));
        for (Scheduler.Reply refused : List.of(schedulerA.delete("/containers/" + removed),
                schedulerA.put("/apps/" + app + "/scale", Map.of("replicas", 0)), schedulerA.delete("/apps/" + app))) {
            assertEquals(403, refused.status(), "" + refused.body());
            assertTrue(refused.body().get("message").asText().contains("a tenant token cannot"), "" + refused.body());
        }
        assertEquals(4, schedulerA.get("/apps/" + app + "/containers").expect(200).body().size());
        // an operator may, and redis-ctl replaces what was taken
        int status = operator.delete("/containers/" + removed).status();
        assertTrue(status == 200 || status == 202, "the scheduler removed it: " + status);
        JsonNode healed = await("the removed replica replaced").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> redisCtl.get("/clusters/" + cluster).expect(200)
                        .body(), c -> {
                    int active = 0;
                    boolean replaced = false;
                    for (JsonNode i : c.get("instances")) {
                        if (i.get("state").asText().equals("active")) {
                            active++;
                            replaced |= i.get("role").asText().equals("replica") && i.get("shard").asInt() == shard
                                    && i.get("containerId").asLong() != removed;
                        }
                    }
                    return active == 4 && replaced && c.get("state").asText().equals("ready");
                });
        for (JsonNode i : healed.get("instances")) {
            assertTrue(i.get("containerId").asLong() != removed || !i.get("state").asText().equals("active"),
                    healed.toString());
        }
    }

    /** A client of A's: writes keys through the endpoint and reads each back at once. */
    private static final class Load implements AutoCloseable {
        private final RedisClient client = RedisClient.create();
        private final StatefulRedisConnection<String, String> connection;
        private final AtomicLong ok = new AtomicLong();
        private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        private final Thread thread = new Thread(this::run, "tenant-a-load");
        private volatile boolean running = true;

        Load(String address, String password) {
            String[] hostPort = address.split(":");
            connection = client.connect(RedisURI.builder().withHost(hostPort[0])
                    .withPort(Integer.parseInt(hostPort[1])).withAuthentication("default", password.toCharArray())
                    .withTimeout(Duration.ofSeconds(5)).build());
        }

        void start() {
            thread.start();
        }

        private void run() {
            RedisCommands<String, String> redis = connection.sync();
            for (long i = 0; running; i++) {
                try {
                    redis.set("iso:" + i, "v" + i);
                    String read = redis.get("iso:" + i);
                    if (!("v" + i).equals(read)) {
                        errors.add("iso:" + i + " read back as " + read);
                    }
                    ok.incrementAndGet();
                } catch (RuntimeException e) {
                    errors.add(e.toString());
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        List<String> verify() {
            List<String> lost = new ArrayList<>();
            RedisCommands<String, String> redis = connection.sync();
            for (long i = 0; i < ok.get(); i++) {
                if (!("v" + i).equals(redis.get("iso:" + i))) {
                    lost.add("iso:" + i);
                }
            }
            return lost;
        }

        @Override
        public void close() throws InterruptedException {
            stop();
            connection.close();
            client.shutdown();
        }
    }

    /**
     * An instance of A's, asked with A's cluster password. Its 0.1 core is throttled while the machine is busy with
     * the rest of the suite: answers may take seconds.
     */
    private static final class Victim implements AutoCloseable {
        private final RedisClient client = RedisClient.create();
        private final StatefulRedisConnection<String, String> connection;
        private final RedisCommands<String, String> redis;

        Victim(String address, String password) {
            connection = client.connect(RedisURI.builder().withHost(address).withPort(6379)
                    .withAuthentication("default", password.toCharArray()).withTimeout(Duration.ofSeconds(20))
                    .build());
            redis = connection.sync();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    /** As {@link #exec}: the command and what it printed, for the record. */
    private static String tell(DockerClient docker, String container, String... command) throws Exception {
        return String.join(" ", command) + " -> " + exec(docker, container, command);
    }

    /** Runs a command in B's container, as B's own code there would: what it printed. */
    private static String exec(DockerClient docker, String container, String... command) throws Exception {
        String exec = docker.execCreateCmd(container).withCmd(command).withAttachStdout(true).withAttachStderr(true)
                .exec().getId();
        StringBuilder out = new StringBuilder();
        docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }

    /** A file of B's container (its image has no shell, nor cat): the first entry of the engine's tar of it. */
    private static String file(DockerClient docker, String container, String path) throws IOException {
        try (java.io.InputStream tar = docker.copyArchiveFromContainerCmd(container, path).exec()) {
            byte[] header = tar.readNBytes(512);
            long size = Long.parseLong(new String(header, 124, 11, StandardCharsets.US_ASCII).trim(), 8);
            return new String(tar.readNBytes((int) size), StandardCharsets.UTF_8);
        }
    }

    private static String logs(DockerClient docker, String container) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        docker.logContainerCmd(container).withStdOut(true).withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
            }
        }).awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }
}

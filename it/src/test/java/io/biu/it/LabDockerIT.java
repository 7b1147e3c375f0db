package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lab proven with docker-java, the library the scheduler drives engines with: one Redis per node
 * with pinned cores, CPU shares and a hard memory limit on a fixed MacVLAN address; the limits read
 * back through the engine and from the kernel's cgroup files; every container reached from this
 * machine through the shim; replication across nodes; and a partition that takes the link down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabDockerIT {

    private static final long MEMORY = 64L * 1024 * 1024;
    private static final int CPU_SHARES = 512;
    private static final int KEYS = 200;

    private final Lab lab = Lab.get();
    private final Lab.Node master = lab.node(1);
    private final Lab.Node replica = lab.node(2);
    private final LabResources resources = new LabResources(lab, "docker");
    private final Map<Integer, String> containers = new HashMap<>();
    private final Map<Integer, String> cpusets = new HashMap<>();
    private final Map<String, RedisClient> clients = new HashMap<>();

    @BeforeAll
    void startOneRedisPerNode() {
        for (Lab.Node node : lab.nodes()) {
            int cores = resources.docker(node.index()).infoCmd().exec().getNCPU();
            String cpuset = String.valueOf((node.index() - 1) % cores);
            cpusets.put(node.index(), cpuset);
            String network = resources.network(node.index());
            String id = resources.start(node.index(), "redis", lab.lab("image.redis"), create -> create
                    .withCmd("redis-server", "--port", "6379", "--protected-mode", "no", "--save", "",
                            "--appendonly", "no", "--repl-timeout", "3", "--repl-ping-replica-period", "1")
                    .withIpv4Address(address(node))
                    .withHostConfig(HostConfig.newHostConfig()
                            .withNetworkMode(network)
                            .withCpusetCpus(cpuset)
                            .withCpuShares(CPU_SHARES)
                            .withMemory(MEMORY)
                            .withMemorySwap(MEMORY)));
            containers.put(node.index(), id);
        }
    }

    @AfterAll
    void removeEverything() {
        clients.values().forEach(RedisClient::shutdown);
        try {
            lab.biu("lab", "heal", master.name());
        } finally {
            resources.close();
        }
    }

    private String address(Lab.Node node) {
        return lab.podAddress(node.index());
    }

    private RedisCommands<String, String> redis(Lab.Node node) {
        RedisClient client = clients.computeIfAbsent(address(node), a -> RedisClient.create(
                RedisURI.builder().withHost(a).withPort(6379).withTimeout(Duration.ofSeconds(3)).build()));
        StatefulRedisConnection<String, String> connection = client.connect();
        return connection.sync();
    }

    @Test
    @Order(1)
    void engineAppliesTheRequestedCpusetSharesAndMemory() {
        for (Lab.Node node : lab.nodes()) {
            InspectContainerResponse inspect = resources.docker(node.index())
                    .inspectContainerCmd(containers.get(node.index())).exec();
            HostConfig host = inspect.getHostConfig();
            assertEquals(cpusets.get(node.index()), host.getCpusetCpus(), node.name());
            assertEquals(CPU_SHARES, host.getCpuShares(), node.name());
            assertEquals(MEMORY, host.getMemory(), node.name());
            assertEquals(MEMORY, host.getMemorySwap(), node.name());
            assertEquals(address(node), inspect.getNetworkSettings().getNetworks()
                    .get(resources.network(node.index())).getIpAddress(), node.name());
            assertTrue(inspect.getState().getRunning(), node.name() + " container is not running");
        }
    }

    @Test
    @Order(2)
    void kernelCgroupsCarryTheSameLimitsUnderTheNodesCgroupParent() throws IOException {
        for (Lab.Node node : lab.nodes()) {
            long pid = resources.docker(node.index()).inspectContainerCmd(containers.get(node.index()))
                    .exec().getState().getPidLong();
            Cgroups cgroups = Cgroups.of(pid);
            for (String controller : List.of("cpuset", "cpu", "memory")) {
                assertTrue(cgroups.path(controller).startsWith("/" + node.cgroupParent() + "/"),
                        node.name() + ": " + controller + " cgroup " + cgroups.path(controller)
                                + " is not under the node's parent " + node.cgroupParent());
            }
            assertEquals(cpusets.get(node.index()), cgroups.read("cpuset", "cpuset.cpus"), node.name());
            assertEquals(String.valueOf(CPU_SHARES), cgroups.read("cpu", "cpu.shares"), node.name());
            assertEquals(String.valueOf(MEMORY), cgroups.read("memory", "memory.limit_in_bytes"), node.name());
            assertEquals(String.valueOf(MEMORY), cgroups.read("memory", "memory.memsw.limit_in_bytes"),
                    node.name() + ": memory+swap must equal memory (no swap)");
        }
    }

    @Test
    @Order(3)
    void everyContainerIsReachableFromThisMachineThroughTheShim() throws Exception {
        for (Lab.Node node : lab.nodes()) {
            Process route = new ProcessBuilder("ip", "-o", "route", "get", address(node))
                    .redirectErrorStream(true).start();
            String how = new String(route.getInputStream().readAllBytes()).trim();
            route.waitFor();
            assertTrue(how.contains("dev " + lab.lab("shim.interface") + " "),
                    "the route to " + address(node) + " should use the shim: " + how);
            RedisCommands<String, String> redis = redis(node);
            assertEquals("PONG", redis.ping());
            assertEquals("OK", redis.set("hello", node.name()));
            assertEquals(node.name(), redis.get("hello"));
        }
    }

    @Test
    @Order(4)
    void aContainerReplicatesFromAContainerOnAnotherNode() {
        RedisCommands<String, String> replicaRedis = redis(replica);
        assertEquals("OK", replicaRedis.replicaof(address(master), 6379));
        await("replication link up").atMost(Duration.ofSeconds(30))
                .until(() -> linkStatus(replicaRedis).equals("up"));

        RedisCommands<String, String> masterRedis = redis(master);
        for (int i = 0; i < KEYS; i++) {
            masterRedis.set("key:" + i, "value:" + i);
        }
        await("keys replicated").atMost(Duration.ofSeconds(30))
                .until(() -> replicaRedis.dbsize() == KEYS + 1);
        assertEquals("value:" + (KEYS - 1), replicaRedis.get("key:" + (KEYS - 1)));
        assertEquals(master.name(), replicaRedis.get("hello"), "the replica's own data was replaced by the master's");
    }

    @Test
    @Order(5)
    void partitioningTheMastersNodeTakesTheLinkDownAndHealingRestoresIt() {
        RedisCommands<String, String> replicaRedis = redis(replica);
        assertEquals("up", linkStatus(replicaRedis));

        Lab.Run partition = lab.biu("lab", "partition", master.name());
        assertEquals(0, partition.exitCode(), partition.output());
        await("replication link down").atMost(Duration.ofSeconds(30))
                .until(() -> linkStatus(replicaRedis).equals("down"));
        RedisClient fresh = RedisClient.create(RedisURI.builder().withHost(address(master)).withPort(6379)
                .withTimeout(Duration.ofSeconds(2)).build());
        try {
            assertThrows(RedisConnectionException.class, fresh::connect,
                    "the partitioned node's container should be unreachable");
        } finally {
            fresh.shutdown();
        }
        assertEquals("PONG", replicaRedis.ping(), "the replica's own node is not partitioned");

        Lab.Run heal = lab.biu("lab", "heal", master.name());
        assertEquals(0, heal.exitCode(), heal.output());
        await("replication link back up").atMost(Duration.ofSeconds(60))
                .until(() -> linkStatus(replicaRedis).equals("up"));
        redis(master).set("after-heal", "yes");
        await("a write after healing replicated").atMost(Duration.ofSeconds(30))
                .until(() -> "yes".equals(replicaRedis.get("after-heal")));
    }

    private static String linkStatus(RedisCommands<String, String> redis) {
        for (String line : redis.info("replication").split("\r\n")) {
            if (line.startsWith("master_link_status:")) {
                return line.substring("master_link_status:".length());
            }
        }
        return "none";
    }
}

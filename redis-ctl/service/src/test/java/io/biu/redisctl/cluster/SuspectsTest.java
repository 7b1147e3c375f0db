package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.backup.LocalRedis;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.Schema;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Suspects against real Redis servers: one that answers is left alone whatever the scheduler says and returns to what
 * it was once its container runs; one that is silent, whose cluster agrees and whose node is down too, is failed when
 * its shard has another active member, and kept (an incident, never replaced) when it is its shard's last copy.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuspectsTest {

    private static final Duration NODE_TIMEOUT = Duration.ofMillis(300);

    private LocalRedis alive;
    private LocalRedis survivor;
    private int silentPort;
    private RedisAdmin redis;
    private final Map<Long, Instance> rows = new ConcurrentHashMap<>();
    private final Map<Long, Schema.Container> containers = new ConcurrentHashMap<>();
    private final List<Long> removed = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Cluster cluster = new Cluster(1L, "acme", "shop", "lab", "redis-shop", 2, 1, BigDecimal.ONE,
            64 << 20, 48 << 20, Persistence.AOF, "noeviction", LocalRedis.PASSWORD, null, ClusterState.READY, Instant.EPOCH,
            Instant.EPOCH);

    @BeforeAll
    void start() throws Exception {
        alive = LocalRedis.start(false);
        survivor = LocalRedis.start(true);
        try (ServerSocket s = new ServerSocket(0)) {
            silentPort = s.getLocalPort();
        }
        redis = new RedisAdmin();
    }

    @BeforeEach
    void clean() {
        rows.clear();
        containers.clear();
        removed.clear();
    }

    @AfterAll
    void stop() {
        alive.close();
        survivor.close();
    }

    private Suspects suspects() {
        InstanceRepository instances = (InstanceRepository) Proxy.newProxyInstance(
                InstanceRepository.class.getClassLoader(), new Class<?>[] {InstanceRepository.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "update" -> {
                        Instance i = (Instance) args[0];
                        rows.put(i.id(), i);
                        yield i;
                    }
                    case "findById" -> Optional.ofNullable(rows.get((Long) args[0]));
                    case "findByStateOrderById" -> rows.values().stream().filter(i -> i.state() == args[0])
                            .sorted(Comparator.comparing(Instance::id)).toList();
                    case "findByClusterIdOrderByShardAndRoleAndId" -> rows.values().stream()
                            .sorted(Comparator.comparing(Instance::shard).thenComparing(Instance::role)
                                    .thenComparing(Instance::id)).toList();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ClusterRepository clusters = (ClusterRepository) Proxy.newProxyInstance(
                ClusterRepository.class.getClassLoader(), new Class<?>[] {ClusterRepository.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "findById" -> Optional.of(cluster);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        SchedulerClient scheduler = (SchedulerClient) Proxy.newProxyInstance(
                SchedulerClient.class.getClassLoader(), new Class<?>[] {SchedulerClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "container" -> containers.get((Long) args[1]);
                    case "remove" -> {
                        removed.add((Long) args[1]);
                        yield io.micronaut.http.HttpResponse.accepted();
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        RedisCtlConfig config = new RedisCtlConfig("biu/redis:7", NODE_TIMEOUT, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofMinutes(15), Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Duration.ofSeconds(15), Duration.ofSeconds(2));
        return new Suspects(instances, clusters, scheduler, redis, config);
    }

    private Instance instance(long id, int port, int shard, Role role, InstanceState state) {
        Instance i = new Instance(id, cluster.id(), 100 + id, "c" + id, "node" + id, "127.0.0.1", port, shard, role,
                "redis-id-" + id, Instant.EPOCH, state, null, null);
        rows.put(id, i);
        return i;
    }

    private void container(long instance, ContainerState state) {
        containers.put(100 + instance, new Schema.Container(100 + instance, "c" + instance, "redis-shop", "acme", "lab",
                "node" + instance, "master", null, state, state == ContainerState.RUNNING, "127.0.0.1", null, null,
                "0.1", null, 64 << 20, null, null, null, null, null));
    }

    /**
     * Looks again and again for {@code time}, and at least ten times (a first look warms up clients and may take
     * longer than the node timeout): the verdicts depend on silence outlasting the node timeout.
     */
    private void checkFor(Suspects suspects, Duration time) throws InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        for (int looks = 0; looks < 10 || System.nanoTime() < end; looks++) {
            suspects.check();
            Thread.sleep(50);
        }
    }

    @Test
    void anInstanceThatAnswersIsLeftAloneAndReturnsToWhatItWas() throws Exception {
        Suspects suspects = suspects();
        Instance joining = instance(1, alive.port(), 0, Role.REPLICA, InstanceState.JOINING);
        container(1, ContainerState.LOST);
        suspects.suspect(joining, "lost");
        checkFor(suspects, NODE_TIMEOUT.multipliedBy(4));
        assertEquals(InstanceState.SUSPECT, rows.get(1L).state(), "its node is down, but it serves: nothing done");
        assertEquals(List.of(), removed);

        container(1, ContainerState.RUNNING);
        suspects.check();
        assertEquals(InstanceState.JOINING, rows.get(1L).state(), "back to what it was");
    }

    @Test
    void aSilentInstanceOnADownNodeIsFailedUnlessItIsItsShardsLastCopy() throws Exception {
        Suspects suspects = suspects();
        // shard 0: the suspect and an active member that answers (and, knowing nothing of the suspect, no longer
        // reaches it); shard 1: a suspect alone
        Instance master = instance(1, silentPort, 0, Role.MASTER, InstanceState.ACTIVE);
        instance(2, survivor.port(), 0, Role.REPLICA, InstanceState.ACTIVE);
        Instance alone = instance(3, silentPort, 1, Role.MASTER, InstanceState.ACTIVE);
        container(1, ContainerState.LOST);
        container(3, ContainerState.LOST);
        suspects.suspect(master, "lost");
        suspects.suspect(alone, "lost");

        suspects.check();
        assertEquals(InstanceState.SUSPECT, rows.get(1L).state(), "silent for less than the node timeout");

        checkFor(suspects, NODE_TIMEOUT.multipliedBy(4));
        assertEquals(InstanceState.FAILED, rows.get(1L).state(), "silent, agreed and fenced: failed");
        assertEquals(InstanceState.SUSPECT, rows.get(3L).state(), "its shard's last copy is never given up");
        assertEquals(List.of(), removed, "nothing was removed: both are fenced by their node being down");
    }

    /**
     * Two failures at once: the master's node is cut off and its replica's node is down on the control plane only
     * (it serves on). Nothing is replaced while the rest of the shard is unknown; once the replica is active again, the
     * silent master is failed.
     */
    @Test
    void aSilentMasterWhoseShardsOtherMembersAreSuspectsWaitsUntilOneIsActive() throws Exception {
        Suspects suspects = suspects();
        Instance master = instance(1, silentPort, 0, Role.MASTER, InstanceState.ACTIVE);
        Instance replica = instance(2, survivor.port(), 0, Role.REPLICA, InstanceState.ACTIVE);
        container(1, ContainerState.LOST);
        container(2, ContainerState.LOST);
        suspects.suspect(master, "lost");
        suspects.suspect(replica, "lost");
        checkFor(suspects, NODE_TIMEOUT.multipliedBy(4));
        assertEquals(InstanceState.SUSPECT, rows.get(1L).state(), "nothing failed while its shard is unknown");
        assertEquals(InstanceState.SUSPECT, rows.get(2L).state(), "its node is down, but it serves: nothing done");

        container(2, ContainerState.RUNNING);
        checkFor(suspects, NODE_TIMEOUT.multipliedBy(4));
        assertEquals(InstanceState.ACTIVE, rows.get(2L).state(), "its node answers again");
        assertEquals(InstanceState.FAILED, rows.get(1L).state(), "failed once another member of its shard is active");
        assertEquals(List.of(), removed, "nothing removed: the master is fenced by its node being down");
    }

    @Test
    void aSilentInstanceWhoseEngineSaysItRunsIsStoppedBeforeItIsFailed() throws Exception {
        Suspects suspects = suspects();
        Instance master = instance(1, silentPort, 0, Role.MASTER, InstanceState.ACTIVE);
        instance(2, survivor.port(), 0, Role.REPLICA, InstanceState.ACTIVE);
        container(1, ContainerState.RUNNING);
        suspects.suspect(master, "died");
        checkFor(suspects, NODE_TIMEOUT.multipliedBy(4));
        assertEquals(InstanceState.SUSPECT, rows.get(1L).state(), "not failed while its engine says it runs");
        assertEquals(101L, removed.get(0), "it is stopped first");

        container(1, ContainerState.STOPPED);
        suspects.check();
        assertEquals(InstanceState.FAILED, rows.get(1L).state(), "failed once its engine confirmed the stop");
    }
}

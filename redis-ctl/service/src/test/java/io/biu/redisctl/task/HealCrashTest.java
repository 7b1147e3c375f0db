package io.biu.redisctl.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.backup.LocalCluster;
import io.biu.redisctl.backup.LocalRedis;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Naming;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.cluster.ClusterService;
import io.biu.redisctl.cluster.RedisConf;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.scheduler.client.Schema;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.micronaut.context.ApplicationContext;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Healing halted right after each of its steps in turn, on real Redis servers: a cluster of three masters with a
 * replica each, spread over three nodes (no node holds a master and its own replica). Each round writes keys and waits
 * until the replicas hold them (WAIT), kills a master's server (SIGKILL), waits for its replica to win the election,
 * fails the instance as the data plane's evidence would, and starts healing as the event follower does. The process
 * running it halts after the round's step; a fresh one takes the task over and finishes it. Then the failed instance is
 * gone, a replacement is active in its shard, every shard has a master and a replica again, with one master per node,
 * every instance reports cluster_state:ok, every key written so far holds its value, and the replacement mounts the
 * failed instance's volume key (its shard position's).
 *
 * <p>Three masters, because two cannot elect: the survivor alone is no majority of the masters. Rounds share the
 * cluster and kill the master of the next shard each time; each heals what the round before left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealCrashTest {

    private static final String TENANT = "team";
    private static final int MASTERS = 3;
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);
    private static final int KEYS_PER_ROUND = 1_000;

    private final Map<String, String> written = new LinkedHashMap<>();
    private LocalCluster redis;
    private ApplicationContext context;
    private Processes processes;
    private LocalScheduler scheduler;
    private InstanceRepository instances;
    private RedisAdmin admin;
    private Cluster row;
    private int round;

    @BeforeAll
    void start() {
        redis = LocalCluster.startWithReplicas(MASTERS, 1, "--cluster-node-timeout",
                String.valueOf(NODE_TIMEOUT.toMillis()));
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:heal-crash-" + System.nanoTime()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.redis-ctl.background", "false",
                "biu.redis-ctl.task-lease", "1s",
                "biu.redis-ctl.task-takeover-grace", "300ms",
                "biu.redis-ctl.node-timeout", NODE_TIMEOUT.toMillis() + "ms",
                "biu.redis-ctl.converge-timeout", "20s",
                "biu.redis-ctl.failover-timeout", "15s",
                "test.heal-crash", "true"));
        processes = new Processes(context);
        scheduler = context.getBean(LocalScheduler.class);
        instances = context.getBean(InstanceRepository.class);
        admin = context.getBean(RedisAdmin.class);
        row = register();
    }

    @AfterAll
    void stop() {
        if (processes != null) {
            processes.close();
        }
        if (context != null) {
            context.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * The cluster's records as formation leaves them: every server an active instance with its Redis id, in its shard
     * and role, a container of the cluster's app in its shard's anti-affinity group. Shard {@code s}'s master runs on
     * node {@code s}, its replica on the next node.
     */
    private Cluster register() {
        Instant now = Instant.now();
        Cluster cluster = context.getBean(ClusterRepository.class).save(new Cluster(null, TENANT, "healed", "lab",
                "redis-healed", MASTERS, 1, BigDecimal.ONE, 64 << 20, 48 << 20, Persistence.AOF, "noeviction",
                LocalRedis.PASSWORD, null, ClusterState.READY, now, now));
        List<LocalRedis> servers = redis.servers();
        for (int i = 0; i < servers.size(); i++) {
            int shard = redis.shardOf(i);
            Role role = i < MASTERS ? Role.MASTER : Role.REPLICA;
            String node = LocalScheduler.NODES.get((shard + (role == Role.MASTER ? 0 : 1)) % MASTERS);
            String key = Naming.volumeKey(shard, role == Role.MASTER ? 0 : 1);
            Schema.Container c = scheduler.add(TENANT, cluster.app(), node, role.id(),
                    Naming.shardGroup(cluster.id(), shard), key, servers.get(i));
            String redisId = redis.on(i, RedisCommands::clusterMyId);
            instances.save(new Instance(null, cluster.id(), c.id(), c.name(), node, c.host(), c.port(RedisConf.PORT), shard,
                    role, redisId, now, InstanceState.ACTIVE, null, key));
        }
        return cluster;
    }

    @ParameterizedTest
    @EnumSource(TaskKind.Heal.class)
    void aHealingHaltedAfterAnyStepIsFinishedByAFreshProcessLosingNoKey(TaskKind.Heal step) {
        int shard = round++ % MASTERS;
        write(step.id());
        Instance master = live(shard, true);
        Instance replica = live(shard, false);
        List<Long> before = ids();

        scheduler.killed(master.containerId());
        awaitElection(master, replica);
        instances.update(master.with(InstanceState.FAILED));
        Task heal = context.getBean(ClusterService.class).heal(row.id(), master.id())
                .orElseThrow(() -> new AssertionError("no healing task: the cluster is not ready and idle"));
        processes.haltAfter(step, heal.id());
        String told = "\nhealing reported:\n" + processes.finish(heal.id()).reports();

        assertEquals(Optional.empty(), instances.findById(master.id()), "the failed instance's record is gone" + told);
        List<Instance> all = members();
        List<Instance> added = all.stream().filter(i -> !before.contains(i.id())).toList();
        assertEquals(1, added.size(), "one replacement: " + all + told);
        assertEquals(shard, added.get(0).shard(), "the replacement is in the failed instance's shard: " + all + told);
        assertEquals(master.volumeKey(), added.get(0).volumeKey(), "and takes its volume key: " + all + told);
        assertTrue(all.stream().allMatch(i -> i.state() == InstanceState.ACTIVE), "every instance active: " + all
                + told);
        assertWhole(all, told);
        assertEquals(Set.copyOf(LocalScheduler.NODES), all.stream().filter(i -> i.role() == Role.MASTER)
                .map(Instance::node).collect(Collectors.toSet()), "one master per node: " + all + told);
        assertEveryKeyHeld();
    }

    /** Writes a round's keys through a cluster client, and waits until every master's replica has them (WAIT). */
    private void write(String prefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < KEYS_PER_ROUND; i++) {
            keys.put(prefix + ":" + i, "value-" + i + "-of-" + prefix);
        }
        withClusterClient(c -> {
            c.sync().mset(keys);
            for (RedisClusterNode n : c.getPartitions()) {
                if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()) {
                    // the connection the writes to its slots went through: WAIT counts that client's writes
                    long acked = c.getConnection(n.getUri().getHost(), n.getUri().getPort()).sync()
                            .waitForReplication(1, 10_000);
                    assertEquals(1, acked, "the replica of " + n.getUri() + " acknowledged the writes");
                }
            }
            return null;
        });
        written.putAll(keys);
    }

    /** The active member of {@code shard} that is its master ({@code master}) or its replica, as the cluster has it. */
    private Instance live(int shard, boolean master) {
        List<Instance> found = members().stream().filter(i -> i.shard() == shard
                && view(i).myself().master() == master).toList();
        assertEquals(1, found.size(), "shard " + shard + "'s " + (master ? "master" : "replica") + ": " + members());
        return found.get(0);
    }

    /** Until the failed master's replica won the election and every other instance serves the whole slot space. */
    private void awaitElection(Instance failed, Instance replica) {
        await(replica.hostPort() + " elected in place of " + failed.hostPort()).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> view(replica).myself().master()
                        && members().stream().filter(i -> !i.id().equals(failed.id()))
                                .allMatch(i -> clusterOk(i)));
    }

    /**
     * Every shard has a master with slots and a replica that follows it with its link up; every instance reports
     * cluster_state:ok. (The last step may have just promoted a replica: its old master's link may take a moment.)
     */
    private void assertWhole(List<Instance> all, String told) {
        for (int shard = 0; shard < MASTERS; shard++) {
            int s = shard;
            List<Instance> members = all.stream().filter(i -> i.shard() == s).toList();
            assertEquals(List.of(Role.MASTER, Role.REPLICA), members.stream().map(Instance::role).toList(),
                    "shard " + shard + " has a master and a replica: " + all + told);
        }
        await("every shard's replica following its master, cluster_state:ok everywhere")
                .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    for (Instance i : all) {
                        assertTrue(clusterOk(i), i.hostPort() + " reports cluster_state:ok");
                        Topology.Node me = view(i).myself();
                        if (i.role() == Role.MASTER) {
                            assertTrue(me.master() && !me.slots().isEmpty(), i.hostPort() + " is a master with slots");
                        } else {
                            Instance master = all.stream().filter(m -> m.shard() == i.shard()
                                    && m.role() == Role.MASTER).findFirst().orElseThrow();
                            assertEquals(master.redisId(), me.masterId(), i.hostPort() + " follows its master");
                            assertTrue(admin.on(i.address(), i.port(), LocalRedis.PASSWORD,
                                    r -> r.info("replication")).contains("master_link_status:up"),
                                    i.hostPort() + "'s link to its master is up");
                        }
                    }
                });
    }

    private void assertEveryKeyHeld() {
        List<String> wrong = withClusterClient(c -> {
            List<String> missing = new ArrayList<>();
            for (KeyValue<String, String> kv : c.sync().mget(written.keySet().toArray(String[]::new))) {
                String held = kv.getValueOrElse(null);
                if (!written.get(kv.getKey()).equals(held)) {
                    missing.add(kv.getKey() + "=" + held);
                }
            }
            return missing;
        });
        assertEquals(List.of(), wrong.stream().limit(10).toList(), wrong.size() + " of " + written.size()
                + " keys written missing or wrong");
    }

    /** A cluster client of its own (so that it learns the layout as it is now), seeded with every active instance. */
    private <T> T withClusterClient(Function<StatefulRedisClusterConnection<String, String>, T> work) {
        List<RedisURI> seeds = members().stream().filter(i -> i.state() == InstanceState.ACTIVE)
                .map(i -> RedisURI.builder().withHost(i.address()).withPort(i.port())
                        .withAuthentication("default", LocalRedis.PASSWORD.toCharArray()).build())
                .toList();
        RedisClusterClient client = RedisClusterClient.create(seeds);
        try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
            return work.apply(c);
        } finally {
            client.shutdown();
        }
    }

    private Topology view(Instance i) {
        return admin.on(i.address(), i.port(), LocalRedis.PASSWORD, RedisAdmin::topology);
    }

    private boolean clusterOk(Instance i) {
        return admin.on(i.address(), i.port(), LocalRedis.PASSWORD, r -> r.clusterInfo())
                .contains("cluster_state:ok");
    }

    private List<Instance> members() {
        return instances.findByClusterIdOrderByShardAndRoleAndId(row.id());
    }

    private List<Long> ids() {
        return members().stream().map(Instance::id).toList();
    }
}

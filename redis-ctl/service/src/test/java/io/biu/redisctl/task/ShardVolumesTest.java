package io.biu.redisctl.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.backup.LocalRedis;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.Member;
import io.biu.redisctl.client.Naming;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.ShardDeployment;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.cluster.ClusterService;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.micronaut.context.ApplicationContext;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Data volumes belong to shard positions, on real Redis servers: a local scheduler whose keyed volumes are directories
 * (each server keeps its append-only file and nodes.conf in its key's directory, fsync always), clusters formed and
 * healed by redis-ctl's own tasks. Formation keys every container by its position; a shard's last copy whose container
 * is gone restarts in place from its volume with its identity, slots and data; a failed instance's replacement takes
 * its key only once the old volume is gone or waits for its node, and starts empty; an abandoned instance's volume
 * is never destroyed; a removed instance's volume goes with it. A replacement no node can take yet is retried until
 * one can.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardVolumesTest {

    private static final String TENANT = "team";
    private static final int MASTERS = 3;
    private static final int KEYS = 2_000;
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(1);

    private ApplicationContext context;
    private Processes processes;
    private LocalScheduler scheduler;
    private SchedulerClient client;
    private InstanceRepository instances;
    private RedisAdmin admin;

    @BeforeAll
    void start() {
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:shard-volumes-" + System.nanoTime()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.redis-ctl.background", "false",
                "biu.redis-ctl.task-lease", "1s",
                "biu.redis-ctl.task-takeover-grace", "300ms",
                "biu.redis-ctl.node-timeout", NODE_TIMEOUT.toMillis() + "ms",
                "biu.redis-ctl.converge-timeout", "20s",
                "biu.redis-ctl.failover-timeout", "4s",
                "test.heal-crash", "true"));
        processes = new Processes(context);
        scheduler = context.getBean(LocalScheduler.class);
        client = context.getBean(SchedulerClient.class);
        instances = context.getBean(InstanceRepository.class);
        admin = context.getBean(RedisAdmin.class);
    }

    @AfterAll
    void stop() {
        if (processes != null) {
            processes.close();
        }
        if (context != null) {
            context.close();
        }
    }

    @Test
    void formationKeysEveryContainerByItsShardPosition() {
        Cluster cluster = form("formed", 1);
        List<Instance> all = members(cluster);
        Set<String> expected = Set.of("s0-0", "s0-1", "s1-0", "s1-1", "s2-0", "s2-1");
        assertEquals(expected, all.stream().map(Instance::volumeKey).collect(Collectors.toSet()),
                "one key per position, recorded on the instances: " + all);
        for (Instance i : all) {
            assertTrue(i.volumeKey().startsWith("s" + i.shard() + "-"), "in its own shard: " + i);
            assertEquals(i.role() == Role.MASTER, i.volumeKey().endsWith("-0"), "the master first: " + i);
            Schema.Container c = client.container(TENANT, i.containerId());
            assertEquals(i.volumeKey(), c.volumeKey(), "the container mounts the key recorded: " + c);
        }
        assertEquals(expected, client.volumes(TENANT, cluster.app()).stream().map(Schema.Volume::key)
                .collect(Collectors.toSet()));
    }

    @Test
    void aShardsLastCopyWhoseContainerIsGoneRestartsInPlaceWithItsData() {
        Cluster cluster = form("inplace", 0);
        Map<String, String> written = write(cluster, "inplace");
        Instance failed = master(cluster, 1);
        String redisId = failed.redisId();
        scheduler.killed(failed.containerId());
        scheduler.removed(failed.containerId());
        instances.update(failed.with(InstanceState.FAILED));

        String told = heal(cluster, failed);

        Instance back = instances.findById(failed.id()).orElseThrow();
        assertEquals(InstanceState.SUSPECT, back.state(), "a suspect again, for the evidence to settle: " + back + told);
        assertNotEquals(failed.containerId(), back.containerId(), "the row points at the new container" + told);
        Schema.Container c = client.container(TENANT, back.containerId());
        assertEquals(List.of(back.port(), back.node(), "s1-0"), List.of(c.port(6379), c.node(), c.volumeKey()),
                "the new container's port, node and key: " + c);
        assertEquals(failed.node(), back.node(), "where its volume is");
        assertNotEquals(failed.port(), back.port(), "at a new address: the others learn it from its own pings");
        assertEquals(redisId, admin.on(back.address(), back.port(), LocalRedis.PASSWORD, r -> r.clusterMyId()),
                "the same node, from its own nodes.conf");
        assertTrue(told.contains("restarted in place with its data on " + failed.node()), told);
        List<Instance> all = members(cluster);
        awaitClusterOk(all);
        assertEquals(MASTERS, all.stream().filter(i -> !view(i).myself().slots().isEmpty()).count(),
                "every master serves its slots again");
        for (Instance other : all) {
            // Redis updates a known node's address when it pings with its old id from a new one
            await(other.hostPort() + " knowing " + redisId + " at its new port").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100)).until(() -> view(other).node(redisId).port() == back.port());
        }
        assertEveryKeyHeld(cluster, written);
    }

    /**
     * The node of a shard's last copy's volume has no room: the restart in place is refused there, and healing waits,
     * saying why, with no container of the key on another node and no empty volume of it left behind (which would be
     * the key's newest, and draw every later container of the key away from the data). Once the node has room, the
     * copy restarts there with its identity and data.
     */
    @Test
    void aShardsLastCopyWaitsForRoomOnItsVolumesNodeAndLeavesNoEmptyVolumeElsewhere() throws Exception {
        Cluster cluster = form("roomless", 0);
        Map<String, String> written = write(cluster, "roomless");
        Instance failed = master(cluster, 2);
        scheduler.killed(failed.containerId());
        scheduler.removed(failed.containerId());
        instances.update(failed.with(InstanceState.FAILED));
        scheduler.full(failed.node());
        Task heal = context.getBean(ClusterService.class).heal(cluster.id(), failed.id()).orElseThrow();
        CompletableFuture<Task> healing = CompletableFuture.supplyAsync(() -> processes.finish(heal.id()));
        try {
            Task waiting = await("healing waiting for room on " + failed.node()).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> context.getBean(TaskRepository.class).findById(heal.id()).orElseThrow(),
                            t -> t.error() != null && t.error().contains("cannot be restarted there now"));
            assertTrue(waiting.error().contains("waiting for " + failed.node() + " to have room"), waiting.error());
            assertEquals(List.of(failed.node()), client.volumes(TENANT, cluster.app()).stream()
                    .filter(v -> v.key().equals("s2-0")).map(Schema.Volume::node).toList(),
                    "the key's only volume is its data's: " + scheduler.calls());
            assertTrue(scheduler.live().stream().noneMatch(c -> c.app().equals(cluster.app())
                    && "s2-0".equals(c.volumeKey())),
                    "no container of the key meanwhile: " + scheduler.live());
        } finally {
            scheduler.room(failed.node());
        }

        String told = "\nhealing reported:\n" + healing.get(90, TimeUnit.SECONDS).reports();

        Instance back = instances.findById(failed.id()).orElseThrow();
        assertEquals(List.of(failed.node(), "s2-0"), List.of(back.node(), back.volumeKey()), "in place" + told);
        assertEquals(failed.redisId(), admin.on(back.address(), back.port(), LocalRedis.PASSWORD,
                r -> r.clusterMyId()), "the same node, from its own nodes.conf" + told);
        awaitClusterOk(members(cluster));
        assertEveryKeyHeld(cluster, written);
    }

    @Test
    void aFailedMastersReplacementTakesItsKeyOnlyOnceItsVolumeIsGoneAndStartsEmpty() {
        Cluster cluster = form("replaced", 1);
        Map<String, String> written = write(cluster, "replaced");
        Instance failed = master(cluster, 1);
        Instance replica = members(cluster).stream().filter(i -> i.shard() == 1 && i.role() == Role.REPLICA)
                .findFirst().orElseThrow();
        scheduler.killed(failed.containerId());
        await("the election of " + replica.hostPort()).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> view(replica).myself().master());
        instances.update(failed.with(InstanceState.FAILED));
        int before = scheduler.calls().size();

        String told = heal(cluster, failed);

        List<Instance> shard = members(cluster).stream().filter(i -> i.shard() == 1).toList();
        Instance replacement = shard.stream().filter(i -> !i.id().equals(replica.id())).findFirst().orElseThrow();
        assertEquals("s1-0", replacement.volumeKey(), "the failed instance's key" + told);
        assertNotEquals(failed.redisId(), replacement.redisId(), "a new node: the forgotten identity never comes back");
        List<String> calls = scheduler.calls().subList(before, scheduler.calls().size());
        int deleted = calls.indexOf("delete volume s1-0");
        int deployed = calls.indexOf("deploy s1-0 on " + replacement.node());
        assertTrue(deleted >= 0 && deleted < deployed, "the old volume removed before the key is deployed: " + calls);
        awaitClusterOk(members(cluster));
        // it joined as the shard's replica; spreading masters over the nodes may have promoted it since
        String follows = view(replacement).myself().masterId();
        String followed = view(replica).myself().masterId();
        assertTrue(replica.redisId().equals(follows) || replacement.redisId().equals(followed),
                "one of the shard's two follows the other: " + follows + ", " + followed + told);
        assertEveryKeyHeld(cluster, written);
    }

    /**
     * No node can take the replacement at first (the nodes left up hold the shard already): the step is retried, not
     * given up with the cluster failed, and the replacement joins once a node can take it.
     */
    @Test
    void aReplacementNoNodeCanTakeYetIsRetriedUntilOneCan() {
        Cluster cluster = form("crowded", 1);
        Map<String, String> written = write(cluster, "crowded");
        Instance failed = master(cluster, 0);
        Instance replica = members(cluster).stream().filter(i -> i.shard() == 0 && i.role() == Role.REPLICA)
                .findFirst().orElseThrow();
        scheduler.killed(failed.containerId());
        await("the election of " + replica.hostPort()).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> view(replica).myself().master());
        instances.update(failed.with(InstanceState.FAILED));
        scheduler.refuse(2);
        int before = scheduler.calls().size();

        String told = heal(cluster, failed);

        List<String> calls = scheduler.calls().subList(before, scheduler.calls().size());
        assertEquals(List.of("deploy refused", "deploy refused"), calls.stream().filter(c -> c.startsWith("deploy"))
                .limit(2).toList(), "refused twice before the replacement was placed: " + calls + told);
        assertEquals(2, members(cluster).stream().filter(i -> i.shard() == 0 && i.state() == InstanceState.ACTIVE)
                .count(), "the shard has two members again");
        assertEquals(ClusterState.READY, context.getBean(ClusterRepository.class).findById(cluster.id())
                .orElseThrow().state());
        awaitClusterOk(members(cluster));
        assertEveryKeyHeld(cluster, written);
    }

    /**
     * The failed master's container is on a node that does not answer, so its removal waits: the removal of its volume
     * waits with it, and the replacement takes the key on a fresh, empty volume; the old one is never mounted again.
     */
    @Test
    void aFailedMasterWhoseContainerRemovalWaitsForItsNodeIsReplacedOnAFreshVolumeOfItsKey() {
        Cluster cluster = form("pending", 1);
        Map<String, String> written = write(cluster, "pending");
        Instance failed = master(cluster, 2);
        Instance replica = members(cluster).stream().filter(i -> i.shard() == 2 && i.role() == Role.REPLICA)
                .findFirst().orElseThrow();
        scheduler.killed(failed.containerId());
        scheduler.unreachable(failed.containerId());
        await("the election of " + replica.hostPort()).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> view(replica).myself().master());
        instances.update(failed.with(InstanceState.FAILED));

        String told = heal(cluster, failed);

        Instance replacement = members(cluster).stream().filter(i -> i.shard() == 2 && !i.id().equals(replica.id()))
                .findFirst().orElseThrow();
        assertEquals("s2-0", replacement.volumeKey(), "the failed instance's key" + told);
        assertNotEquals(failed.redisId(), replacement.redisId(), "a new node: the forgotten identity never comes back");
        List<String> calls = scheduler.calls();
        assertTrue(calls.indexOf("delete volume s2-0") < calls.lastIndexOf("deploy s2-0 on " + replacement.node()),
                "the old volume's removal asked for before the key is deployed again: " + calls);
        assertTrue(Files.exists(scheduler.pendingDir(cluster.app(), "s2-0").resolve("nodes.conf")),
                "the old volume waits for its node, untouched" + told);
        awaitClusterOk(members(cluster));
        assertEveryKeyHeld(cluster, written);
    }

    @Test
    void anAbandonedInstancesVolumeSurvivesItsReplacement() throws Exception {
        Cluster cluster = form("abandoned", 0);
        write(cluster, "abandoned");
        Instance failed = master(cluster, 1);
        scheduler.killed(failed.containerId());
        instances.update(failed.with(InstanceState.ABANDONED));

        String told = heal(cluster, failed);

        Instance replacement = master(cluster, 1);
        assertEquals("s1-1", replacement.volumeKey(), "the lowest position with neither a container nor a volume"
                + told);
        List<Schema.Volume> left = client.volumes(TENANT, cluster.app()).stream()
                .filter(v -> v.key().equals("s1-0")).toList();
        assertEquals(1, left.size(), "the abandoned volume is still listed" + told);
        String nodes = Files.readString(scheduler.volumeDir(cluster.app(), "s1-0").resolve("nodes.conf"));
        assertTrue(nodes.contains(failed.redisId() + " "), "with its data and identity untouched: " + nodes);
        assertTrue(scheduler.calls().stream().noneMatch(c -> c.equals("delete volume s1-0")), scheduler.calls()
                .toString());
        awaitClusterOk(members(cluster));
    }

    @Test
    void aRemovedInstancesVolumeGoesAfterItsContainer() {
        Cluster cluster = form("scalein", 1);
        Instance retired = members(cluster).stream().filter(i -> i.shard() == 2 && i.role() == Role.REPLICA)
                .findFirst().orElseThrow();
        instances.update(retired.with(InstanceState.REMOVABLE)); // as a drain leaves a replica retired with its master
        int before = scheduler.calls().size();

        context.getBean(ClusterService.class).removeInstance(new Caller("ci", TokenKind.TENANT, TENANT), cluster.id(),
                retired.id());

        assertEquals(List.of("remove " + retired.containerId(), "delete volume s2-1"),
                scheduler.calls().subList(before, scheduler.calls().size()), "the container first, then its volume");
        assertTrue(client.volumes(TENANT, cluster.app()).stream().noneMatch(v -> v.key().equals("s2-1")));
        assertTrue(Files.notExists(scheduler.volumeDir(cluster.app(), "s2-1")), "its data is gone with it");
        assertEquals(5, client.volumes(TENANT, cluster.app()).size(), "the other positions' volumes stay");
    }

    /**
     * A volume is left at a position's key before the cluster is formed (a container an earlier run deployed died
     * there, say), holding an identity and data: the position's container starts empty, with an identity of its own,
     * once the volume left is removed.
     */
    @Test
    void aFormationContainerNeverStartsFromAVolumeLeftAtItsKey() {
        String app = Naming.app("leftover");
        String oldId = leaveVolume(app, "s1-0", "node3");
        int before = scheduler.calls().size();

        Cluster cluster = form("leftover", 0);

        Instance master = master(cluster, 1);
        assertEquals("s1-0", master.volumeKey(), "the shard's first position");
        assertNotEquals(oldId, master.redisId(), "an identity of its own, not the one left in the volume's nodes.conf");
        long keys = admin.on(master.address(), master.port(), LocalRedis.PASSWORD, r -> r.dbsize());
        assertEquals(0, keys, "none of the data left in the volume");
        List<String> calls = scheduler.calls().subList(before, scheduler.calls().size());
        int deleted = calls.indexOf("delete volume s1-0");
        assertTrue(deleted >= 0 && deleted < calls.indexOf("deploy s1-0 on " + master.node()),
                "the volume left removed before the key is deployed: " + calls);
        awaitClusterOk(members(cluster));
    }

    /**
     * A volume is left at the key a new shard would take next (a shard removed earlier whose volume stayed, or an
     * abandoned instance's, kept for an operator): a scale-out as redis-monitor makes it skips that shard number, so
     * the new master starts empty with an identity of its own, joins as the shard its group names, and the volume left
     * is neither mounted nor removed.
     */
    @Test
    void aScaleOutSkipsTheShardsThatAVolumeIsLeftAt() throws Exception {
        Cluster cluster = form("grown", 0);
        Map<String, String> written = write(cluster, "grown");
        String oldId = leaveVolume(cluster.app(), "s3-0", "node1");

        List<ShardDeployment> growth = ShardDeployment.growth(view(cluster), 1, client.volumes(TENANT, cluster.app()));
        List<Member> joining = new ArrayList<>();
        for (ShardDeployment shard : growth) {
            SchedulerErrors.body(client.deploy(TENANT, cluster.app(), shard.master()))
                    .forEach(c -> joining.add(Member.of(c.id(), Role.MASTER)));
        }
        Task join = context.getBean(ClusterService.class).join(new Caller("ci", TokenKind.TENANT, TENANT),
                cluster.id(), joining);
        String told = "\njoin reported:\n" + processes.finish(join.id()).reports();

        Instance grown = instances.findByContainerId(joining.get(0).container()).orElseThrow();
        assertEquals(List.of(4, "s4-0"), List.of(grown.shard(), grown.volumeKey()),
                "the shard past the one a volume is left at, as its group names it" + told);
        assertNotEquals(oldId, grown.redisId(), "an identity of its own" + told);
        String nodes = Files.readString(scheduler.volumeDir(cluster.app(), "s3-0").resolve("nodes.conf"));
        assertTrue(nodes.contains(oldId + " "), "the volume left is untouched: " + nodes);
        assertTrue(scheduler.calls().stream().noneMatch(c -> c.equals("delete volume s3-0")), scheduler.calls()
                .toString());
        List<Instance> all = members(cluster);
        awaitClusterOk(all);
        assertEquals(MASTERS + 1, all.stream().filter(i -> !view(i).myself().slots().isEmpty()).count(),
                "the new master serves slots" + told);
        assertEveryKeyHeld(cluster, written);
    }

    /**
     * Leaves a volume at {@code key} as a container that is gone would have: the files of a cluster-mode server that
     * ran from it (its nodes.conf, owning every slot, and a key in its append-only file). Returns the server's id.
     */
    private String leaveVolume(String app, String key, String node) {
        scheduler.leftVolume(TENANT, app, key, node);
        try (LocalRedis old = LocalRedis.start(true, "--dir", scheduler.volumeDir(app, key).toString(),
                "--appendonly", "yes", "--appendfsync", "always")) {
            admin.on("127.0.0.1", old.port(), LocalRedis.PASSWORD, r -> r.clusterAddSlotsRange(Range.create(0,
                    16383)));
            await("the old server serving its slots").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> admin.on("127.0.0.1", old.port(),
                            LocalRedis.PASSWORD, r -> r.clusterInfo()).contains("cluster_state:ok"));
            return admin.on("127.0.0.1", old.port(), LocalRedis.PASSWORD, r -> {
                r.set("left:behind", "old data");
                return r.clusterMyId();
            });
        }
    }

    /** The cluster as redis-ctl's API shows it, with what growing it needs. */
    private ClusterView view(Cluster cluster) {
        List<InstanceView> views = members(cluster).stream().map(i -> new InstanceView(i.id(), i.state(), i.role(),
                i.address(), i.port(), i.containerId(), i.container(), i.node(), i.shard(), i.redisId(), null))
                .toList();
        return new ClusterView(cluster.id(), cluster.name(), TENANT, cluster.pod(), cluster.state(), cluster.masters(),
                cluster.replicas(), cluster.cpu().toPlainString(), cluster.memory(), cluster.maxmemory(),
                cluster.persistence(), cluster.eviction(), views, null, null, cluster.createdAt(), cluster.busTls());
    }

    /** A cluster that keeps data (AOF), formed by redis-ctl's formation task on the local scheduler. */
    private Cluster form(String name, int replicas) {
        Instant now = Instant.now();
        Cluster cluster = context.getBean(ClusterRepository.class).save(new Cluster(null, TENANT, name, "lab",
                Naming.app(name), MASTERS, replicas, BigDecimal.ONE, 64 << 20, 48 << 20, Persistence.AOF,
                "noeviction", LocalRedis.PASSWORD, null, ClusterState.CREATING, now, now));
        Task form = context.getBean(TaskRepository.class).save(Task.pending(cluster.id(), TENANT, TaskKind.FORM,
                now));
        processes.finish(form.id());
        return cluster;
    }

    /** Heals the instance as the event follower starts it, in a fresh process; what healing reported. */
    private String heal(Cluster cluster, Instance failed) {
        Task heal = context.getBean(ClusterService.class).heal(cluster.id(), failed.id())
                .orElseThrow(() -> new AssertionError("no healing task: the cluster is not ready and idle"));
        return "\nhealing reported:\n" + processes.finish(heal.id()).reports();
    }

    /**
     * Writes keys across the cluster: every write is on disk when it is acknowledged (fsync always), and with replicas
     * each master's replica has them (WAIT).
     */
    private Map<String, String> write(Cluster cluster, String prefix) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            keys.put(prefix + ":" + i, "value-" + i + "-of-" + prefix);
        }
        withClusterClient(cluster, c -> {
            c.sync().mset(keys);
            if (cluster.replicas() > 0) {
                for (RedisClusterNode n : c.getPartitions()) {
                    if (n.is(RedisClusterNode.NodeFlag.UPSTREAM) && !n.getSlots().isEmpty()) {
                        // the connection the writes to its slots went through: WAIT counts that client's writes
                        assertEquals(1, c.getConnection(n.getUri().getHost(), n.getUri().getPort()).sync()
                                .waitForReplication(1, 10_000), "the replica of " + n.getUri() + " has the writes");
                    }
                }
            }
            return null;
        });
        return keys;
    }

    private void assertEveryKeyHeld(Cluster cluster, Map<String, String> written) {
        List<String> wrong = withClusterClient(cluster, c -> {
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

    private void awaitClusterOk(List<Instance> all) {
        await("cluster_state:ok on every instance").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> all.stream().allMatch(i -> admin.on(i.address(), i.port(), LocalRedis.PASSWORD,
                        r -> r.clusterInfo()).contains("cluster_state:ok")));
    }

    /** A cluster client of its own, seeded with every instance recorded. */
    private <T> T withClusterClient(Cluster cluster, Function<StatefulRedisClusterConnection<String, String>, T> work) {
        List<RedisURI> seeds = members(cluster).stream()
                .map(i -> RedisURI.builder().withHost(i.address()).withPort(i.port())
                        .withAuthentication("default", LocalRedis.PASSWORD.toCharArray()).build())
                .toList();
        RedisClusterClient redis = RedisClusterClient.create(seeds);
        try (StatefulRedisClusterConnection<String, String> c = redis.connect()) {
            return work.apply(c);
        } finally {
            redis.shutdown();
        }
    }

    private Instance master(Cluster cluster, int shard) {
        return members(cluster).stream().filter(i -> i.shard() == shard && i.role() == Role.MASTER).findFirst()
                .orElseThrow(() -> new AssertionError("shard " + shard + " has no master: " + members(cluster)));
    }

    private Topology view(Instance i) {
        return admin.on(i.address(), i.port(), LocalRedis.PASSWORD, RedisAdmin::topology);
    }

    private List<Instance> members(Cluster cluster) {
        return instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
    }
}

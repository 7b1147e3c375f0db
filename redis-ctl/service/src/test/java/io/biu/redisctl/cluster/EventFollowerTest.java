package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.lease.Leases;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.backup.LocalRedis;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskRepository;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.Schema;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The follower of the scheduler's event stream on a real bus (a local redis-server), an H2 database in PostgreSQL
 * mode and a scheduler whose containers each test chooses. Its time is the test's: a follower reconciles at start,
 * and then only when a gap, an outage or {@link #INTERVAL} makes it, so each case first lets it take its start's
 * reconciliation with every container running, and then makes the scheduler say otherwise.
 *
 * <p>Instances listen on a closed port: the suspects' check (which the follower runs after every read) finds them
 * silent for less than the node timeout and leaves them suspects, as the cases expect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EventFollowerTest {

    private static final String STREAM = "biu:events";
    private static final String TENANT = "acme";
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private LocalRedis bus;
    private RedisClient writerClient;
    private RedisCommands<String, String> writer;
    private ApplicationContext context;
    private ClusterRepository clusters;
    private InstanceRepository instances;
    private TaskRepository tasks;
    private StreamCursorRepository cursors;
    private Suspects suspects;
    private JsonMapper json;
    private int silentPort;
    /** The scheduler's containers, by id. */
    private final Map<Long, Schema.Container> containers = new ConcurrentHashMap<>();
    /** The followers' time, nanoseconds. */
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<EventFollower> followers = new ArrayList<>();
    /** Whether a case stopped the bus (and has not started it again yet). */
    private boolean busAway;

    @BeforeAll
    void start() throws IOException {
        bus = LocalRedis.start(false);
        RedisURI uri = RedisURI.create(busUri());
        uri.setTimeout(Duration.ofSeconds(10));
        writerClient = RedisClient.create(uri);
        writer = writerClient.connect().sync();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            silentPort = s.getLocalPort();
        }
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:follower-" + System.nanoTime()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.redis-ctl.background", "false"));
        clusters = context.getBean(ClusterRepository.class);
        instances = context.getBean(InstanceRepository.class);
        tasks = context.getBean(TaskRepository.class);
        cursors = context.getBean(StreamCursorRepository.class);
        json = context.getBean(JsonMapper.class);
        suspects = new Suspects(instances, clusters, scheduler(), context.getBean(RedisAdmin.class),
                context.getBean(RedisCtlConfig.class));
    }

    @BeforeEach
    void clean() {
        writer.del(STREAM);
        tasks.deleteAll();
        instances.deleteAll();
        clusters.deleteAll();
        cursors.update(new StreamCursor("events", 0));
        containers.clear();
    }

    @AfterEach
    void closeFollowers() {
        followers.forEach(EventFollower::close);
        followers.clear();
        if (busAway) {
            busBack();
        }
    }

    @AfterAll
    void stop() {
        writerClient.shutdown();
        context.close();
        bus.close();
    }

    @Test
    void aDiedOrLostEventMakesItsInstanceASuspectAndMovesTheCursor() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Instance master = instance(shop, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        Instance joining = instance(shop, 102, 0, Role.REPLICA, InstanceState.JOINING);
        Instance other = instance(shop, 103, 1, Role.MASTER, InstanceState.ACTIVE);
        EventFollower follower = started();

        // the scheduler says every container runs (restarted in place, say): only the events make suspects
        event(1, "container.died", 101);
        event(2, "container.lost", 102);
        follower.follow();

        assertEquals(InstanceState.SUSPECT, state(master));
        assertEquals(InstanceState.ACTIVE, reload(master).suspectedFrom(), "what it is again once it answers");
        assertEquals(InstanceState.SUSPECT, state(joining));
        assertEquals(InstanceState.JOINING, reload(joining).suspectedFrom());
        assertEquals(InstanceState.ACTIVE, state(other), "no event about it");
        assertEquals(2, cursor());
    }

    @Test
    void aMemberStoppedOrRemovedByAnyoneButRedisCtlIsASuspectInAReadyClusterOnly() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Instance removed = instance(shop, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        Instance stopped = instance(shop, 102, 0, Role.REPLICA, InstanceState.ACTIVE);
        // redis-ctl's own removals: an instance it took out of service, and a cluster being deleted
        Instance drained = instance(shop, 103, 1, Role.MASTER, InstanceState.REMOVABLE);
        Cluster gone = cluster("gone", ClusterState.DELETING);
        Instance deleted = instance(gone, 201, 0, Role.MASTER, InstanceState.ACTIVE);
        EventFollower follower = started();

        event(1, "container.removed", 101);
        event(2, "container.stopping", 102);
        event(3, "container.removed", 103);
        event(4, "container.removed", 201);
        follower.follow();

        assertEquals(InstanceState.SUSPECT, state(removed));
        assertEquals(InstanceState.SUSPECT, state(stopped));
        assertEquals(InstanceState.REMOVABLE, state(drained));
        assertEquals(InstanceState.ACTIVE, state(deleted));
        assertEquals(4, cursor());
    }

    @Test
    void anEntryThatCannotBeHandledIsSteppedOverAndTheEntriesAfterItAreHandled() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Instance master = instance(shop, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        Instance replica = instance(shop, 102, 0, Role.REPLICA, InstanceState.ACTIVE);
        EventFollower follower = started();

        entry(1, Map.of("type", "container.died", "json", "{\"seq\": 1, \"container\": {\"id\": 10"));
        entry(2, Map.of("type", "container.died"));
        entry(3, Map.of("json", payload(3, "container.died", 101)));
        entry(4, Map.of("type", "container.died", "json", "[1, 2, 3]"));
        event(5, "container.died", 999);
        entry(6, Map.of("type", "container.lost", "json", "{\"seq\": 6, \"type\": \"container.lost\"}"));
        event(7, "container.died", 102);
        follower.follow();

        assertEquals(InstanceState.SUSPECT, state(replica), "handled although every entry before it was not");
        assertEquals(InstanceState.ACTIVE, state(master), "an entry without a type says nothing");
        assertEquals(7, cursor(), "stepped over, not read again");

        event(8, "container.died", 101);
        follower.follow();
        assertEquals(InstanceState.SUSPECT, state(master), "following goes on");
        assertEquals(8, cursor());
    }

    @Test
    void aGapInTheStreamReconcilesEveryReadyClusterWithTheScheduler() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Cluster cart = cluster("cart", ClusterState.READY);
        Instance lost = instance(shop, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        Instance gone = instance(shop, 102, 0, Role.REPLICA, InstanceState.ACTIVE);
        Instance runs = instance(shop, 103, 1, Role.MASTER, InstanceState.ACTIVE);
        Instance died = instance(cart, 201, 0, Role.REPLICA, InstanceState.JOINING);
        cursors.update(new StreamCursor("events", 10));
        EventFollower follower = started();

        // what events 11 to 14 said; they are trimmed before the follower reads them
        container(101, ContainerState.LOST);
        containers.remove(102L);
        container(201, ContainerState.DIED);
        for (long seq = 11; seq <= 15; seq++) {
            event(seq, "container.started", 103);
        }
        writer.xtrim(STREAM, XTrimArgs.Builder.minId("15-0"));
        follower.follow();

        assertEquals(InstanceState.SUSPECT, state(lost));
        assertEquals(InstanceState.SUSPECT, state(gone));
        assertEquals(InstanceState.SUSPECT, state(died));
        assertEquals(InstanceState.JOINING, reload(died).suspectedFrom());
        assertEquals(InstanceState.ACTIVE, state(runs), "its container runs");
        assertEquals(15, cursor());
    }

    @Test
    void withoutAGapTheSchedulerIsReconciledWithOnlyEveryInterval() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Instance lost = instance(shop, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        cursors.update(new StreamCursor("events", 10));
        EventFollower follower = started();

        container(101, ContainerState.LOST);
        event(11, "container.started", 999);
        tick(INTERVAL.minusSeconds(1));
        follower.follow();
        assertEquals(InstanceState.ACTIVE, state(lost), "no gap, and the interval has not passed");
        assertEquals(11, cursor());

        tick(Duration.ofSeconds(1));
        follower.follow();
        assertEquals(InstanceState.SUSPECT, state(lost), "reconciled once the interval passed");
    }

    @Test
    void aBusOutageNeitherStopsTheFollowerNorGoesUnreconciledLongerThanTheRetry() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Instance lost = instance(shop, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        Instance died = instance(shop, 102, 0, Role.REPLICA, InstanceState.ACTIVE);
        event(1, "container.started", 101);
        EventFollower follower = started();
        assertEquals(1, cursor());

        busAway();
        // its event was published while the bus was away, and is lost with the bus's data
        container(101, ContainerState.LOST);
        long started = System.nanoTime();
        assertDoesNotThrow(follower::follow);
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(RETRY) < 0,
                "a round on a bus that is away does not wait for it: healing runs in the same round");
        assertEquals(InstanceState.ACTIVE, state(lost), "the retry is not due yet");

        busBack();
        // the bus is back, empty: what is published from now on is read, on a new connection
        event(2, "container.died", 102);
        tick(RETRY);
        follower.follow();
        assertEquals(InstanceState.SUSPECT, state(lost), "reconciled within the retry");
        assertEquals(InstanceState.SUSPECT, state(died));
        assertEquals(2, cursor());
    }

    @Test
    void aBusThatIsAwayAtStartIsFollowedOnceItAnswers() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Instance died = instance(shop, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        busAway();
        EventFollower follower = follower();
        assertDoesNotThrow(follower::follow);

        busBack();
        event(1, "container.died", 101);
        follower.follow();
        assertEquals(InstanceState.SUSPECT, state(died));
        assertEquals(1, cursor());
    }

    @Test
    void onlyReadyClustersAreReconciled() {
        Cluster ready = cluster("ready", ClusterState.READY);
        Instance readyLost = instance(ready, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        Instance draining = instance(ready, 102, 0, Role.REPLICA, InstanceState.DRAINING);
        List<Instance> elsewhere = List.of(
                instance(cluster("creating", ClusterState.CREATING), 201, 0, Role.MASTER, InstanceState.ACTIVE),
                instance(cluster("failed", ClusterState.FAILED), 301, 0, Role.MASTER, InstanceState.ACTIVE),
                instance(cluster("deleting", ClusterState.DELETING), 401, 0, Role.MASTER, InstanceState.JOINING));
        containers.replaceAll((id, c) -> withState(c, ContainerState.LOST));

        // the first round reconciles
        follower().follow();

        assertEquals(InstanceState.SUSPECT, state(readyLost));
        assertEquals(InstanceState.DRAINING, state(draining), "neither active nor joining: not watched");
        for (Instance i : elsewhere) {
            assertEquals(i.state(), state(i), "instance of container " + i.containerId() + " is left alone");
        }
    }

    @Test
    void theHealingRoundChecksSuspectsAndStartsOneHealingTaskPerIdleReadyClusterMastersFirst() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Instance failedReplica = instance(shop, 101, 0, Role.REPLICA, InstanceState.FAILED);
        Instance failedMaster = instance(shop, 102, 1, Role.MASTER, InstanceState.FAILED);
        Cluster busy = cluster("busy", ClusterState.READY);
        instance(busy, 201, 0, Role.MASTER, InstanceState.FAILED);
        Task rebalance = tasks.save(Task.pending(busy.id(), TENANT, TaskKind.REBALANCE, Instant.now()));
        // a suspect that answers (the bus serves as its Redis) and whose container runs
        Instance back = instances.save(new Instance(null, busy.id(), 202, "c202", "node1", "127.0.0.1", bus.port(), 1,
                Role.MASTER, null, Instant.now(), InstanceState.ACTIVE, null, null).suspected());
        containers.put(202L, container(busy, 202, ContainerState.RUNNING));

        follower().follow();

        List<Task> healing = tasks.findOpen(shop.id());
        assertEquals(1, healing.size(), "one task at a time");
        assertEquals(TaskKind.HEAL, healing.get(0).kind());
        assertEquals(failedMaster.id(), healing.get(0).subject(), "the failed master first");
        assertEquals(List.of(rebalance.id()), tasks.findOpen(busy.id()).stream().map(Task::id).toList(),
                "a cluster with a task running waits");
        assertEquals(InstanceState.ACTIVE, state(back), "the suspect answers: active again");
        assertEquals(InstanceState.FAILED, state(failedReplica));
    }

    @Test
    void aFollowerWithoutTheLeaseLeavesTheStreamToItsHolder() {
        Cluster shop = cluster("shop", ClusterState.READY);
        Instance master = instance(shop, 101, 0, Role.MASTER, InstanceState.ACTIVE);
        EventFollower holder = started();
        // another process: leases tell processes apart by their Leases
        EventFollower other = follower(context.createBean(Leases.class));

        event(1, "container.died", 101);
        other.follow();
        assertEquals(InstanceState.ACTIVE, state(master), "another process holds the events lease");
        assertEquals(0, cursor());

        holder.follow();
        assertEquals(InstanceState.SUSPECT, state(master));
        assertEquals(1, cursor());
    }

    /** A follower that took its start's reconciliation (every container running, unless the case said otherwise). */
    private EventFollower started() {
        EventFollower follower = follower();
        follower.follow();
        return follower;
    }

    private EventFollower follower() {
        return follower(context.getBean(Leases.class));
    }

    private EventFollower follower(Leases leases) {
        EventFollower follower = new EventFollower(cursors, instances, clusters, tasks,
                context.getBean(ClusterService.class), suspects, scheduler(), leases, json, RedisURI.create(busUri()),
                STREAM, now::get);
        followers.add(follower);
        return follower;
    }

    private void busAway() {
        bus.close();
        busAway = true;
    }

    private void busBack() {
        bus = bus.restart();
        busAway = false;
    }

    private void tick(Duration time) {
        now.addAndGet(time.toNanos());
    }

    private String busUri() {
        return "redis://" + LocalRedis.PASSWORD + "@127.0.0.1:" + bus.port();
    }

    /** The scheduler as the follower and the suspects' check ask it: its containers are {@link #containers}. */
    private SchedulerClient scheduler() {
        return (SchedulerClient) Proxy.newProxyInstance(SchedulerClient.class.getClassLoader(),
                new Class<?>[] {SchedulerClient.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "containers" -> containers.values().stream()
                            .filter(c -> c.tenant().equals(args[0]) && c.app().equals(args[1])).toList();
                    case "container" -> containers.get((Long) args[1]);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Cluster cluster(String name, ClusterState state) {
        Instant at = Instant.now();
        return clusters.save(new Cluster(null, TENANT, name, "lab", "redis-" + name, 1, 1, BigDecimal.ONE, 64 << 20,
                48 << 20, Persistence.AOF, "noeviction", LocalRedis.PASSWORD, null, state, at, at));
    }

    /** An instance in {@code state} whose container runs, as the scheduler says. */
    private Instance instance(Cluster cluster, long container, int shard, Role role, InstanceState state) {
        containers.put(container, container(cluster, container, ContainerState.RUNNING));
        return instances.save(new Instance(null, cluster.id(), container, "c" + container, "node1", "127.0.0.1",
                silentPort, shard, role, null, Instant.now(), state, null, null));
    }

    private void container(long id, ContainerState state) {
        containers.computeIfPresent(id, (key, c) -> withState(c, state));
    }

    private static Schema.Container container(Cluster cluster, long id, ContainerState state) {
        return new Schema.Container(id, "c" + id, cluster.app(), cluster.tenant(), cluster.pod(), "node1", null, null,
                state, state == ContainerState.RUNNING, "127.0.0.1", null, null, "1", null, 64 << 20, null, null, null,
                null, null);
    }

    private static Schema.Container withState(Schema.Container c, ContainerState state) {
        return new Schema.Container(c.id(), c.name(), c.app(), c.tenant(), c.pod(), c.node(), c.role(), c.group(),
                state, state == ContainerState.RUNNING, c.address(), c.hostPorts(), c.nodeAddress(), c.cpu(),
                c.cpuset(), c.memory(), c.memoryText(), c.engineId(), c.exitCode(), c.createdAt(), c.updatedAt());
    }

    /** Publishes event {@code seq} about a container as the scheduler's relay does. */
    private void event(long seq, String type, long container) {
        entry(seq, Map.of("type", type, "json", payload(seq, type, container)));
    }

    private String payload(long seq, String type, long container) {
        Schema.Container c = containers.get(container);
        Schema.EventContainer about = new Schema.EventContainer(container, "c" + container,
                c == null ? "redis-other" : c.app(), TENANT, "lab", "node1", null, null,
                type.substring("container.".length()), false, "127.0.0.1", null, null, null, "1", null, 64 << 20, null,
                null);
        try {
            return json.writeValueAsString(new Schema.Event(seq, type, Instant.now(), about, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void entry(long seq, Map<String, String> fields) {
        writer.xadd(STREAM, new XAddArgs().id(seq + "-0"), fields);
    }

    private Instance reload(Instance i) {
        return instances.findById(i.id()).orElseThrow();
    }

    private InstanceState state(Instance i) {
        return reload(i).state();
    }

    private long cursor() {
        return cursors.findById("events").orElseThrow().seq();
    }
}

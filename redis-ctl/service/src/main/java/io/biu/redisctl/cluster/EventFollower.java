package io.biu.redisctl.cluster;

import io.biu.kit.bus.BusUri;
import io.biu.kit.lease.Leases;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.TaskRepository;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.Schema;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the scheduler's event stream on the bus from the last sequence handled (kept in the database, so a
 * restart resumes where it stopped; a gap, an unreadable entry or an outage of the bus is made up for by reconciling
 * with the scheduler's containers): an instance whose container died, was lost, or was stopped or removed by anyone
 * but redis-ctl becomes a suspect, which the data
 * plane's evidence clears or confirms failed ({@link Suspects}). Then, for each formed cluster without a running task,
 * a failed instance gets a healing task.
 */
@Singleton
@Requires(property = "biu.redis-ctl.background", notEquals = "false")
class EventFollower {

    private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(30);
    private static final Duration RECONCILE_RETRY = Duration.ofSeconds(5);
    /**
     * How long a connection to the bus or a read of it may take: a bus that is away fails the round's read at once
     * or within this, never holds up the round's healing.
     */
    private static final Duration BUS_TIMEOUT = Duration.ofSeconds(2);

    private final StreamCursorRepository cursors;
    private final InstanceRepository instances;
    private final ClusterRepository clusters;
    private final TaskRepository tasks;
    private final ClusterService service;
    private final Suspects suspects;
    private final Leases leases;
    private final JsonMapper json;
    private final String stream;
    private final RedisClient client;
    private final SchedulerClient scheduler;
    /** The time the reconciling schedule is measured by, on {@link System#nanoTime}'s scale. */
    private final LongSupplier nanoTime;
    private StatefulRedisConnection<String, String> bus;
    /** When every instance is next compared with the scheduler's containers ({@link #nanoTime}): at once at start. */
    private volatile long reconcileDue;

    @Inject
    EventFollower(StreamCursorRepository cursors, InstanceRepository instances, ClusterRepository clusters,
            TaskRepository tasks, ClusterService service, Suspects suspects, SchedulerClient scheduler, Leases leases,
            JsonMapper json,
            @Value("${biu.bus.uri}") String uri, @Value("${biu.bus.user:}") String user,
            @Value("${biu.bus.password-file:}") String passwordFile, @Value("${biu.bus.stream}") String stream) {
        this(cursors, instances, clusters, tasks, service, suspects, scheduler, leases, json,
                BusUri.of(uri, user, passwordFile), stream, System::nanoTime);
    }

    EventFollower(StreamCursorRepository cursors, InstanceRepository instances, ClusterRepository clusters,
            TaskRepository tasks, ClusterService service, Suspects suspects, SchedulerClient scheduler, Leases leases,
            JsonMapper json, RedisURI bus, String stream, LongSupplier nanoTime) {
        this.cursors = cursors;
        this.instances = instances;
        this.clusters = clusters;
        this.tasks = tasks;
        this.service = service;
        this.suspects = suspects;
        this.scheduler = scheduler;
        this.leases = leases;
        this.json = json;
        this.stream = stream;
        this.client = RedisClient.create(bus);
        // a connection the bus dropped is not mended behind the round's back (where commands would wait for it):
        // the round fails, and the next one connects again
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .socketOptions(SocketOptions.builder().connectTimeout(BUS_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(BUS_TIMEOUT))
                .build());
        this.nanoTime = nanoTime;
        this.reconcileDue = nanoTime.getAsLong();
    }

    @Scheduled(fixedDelay = "500ms", initialDelay = "3s")
    void follow() {
        if (!holds("events")) {
            return;
        }
        try {
            read();
        } catch (RuntimeException e) {
            // what happened meanwhile is found by reconciling with the scheduler once the bus answers again
            LOG.warn("cannot follow the scheduler's events: {}", e.toString());
            disconnect();
            reconcileDue = Math.min(reconcileDue, nanoTime.getAsLong() + RECONCILE_RETRY.toNanos());
        }
        if (nanoTime.getAsLong() - reconcileDue >= 0) {
            reconcile();
        }
        try {
            if (holds("healing")) {
                suspects.check();
                heal();
            }
        } catch (RuntimeException e) {
            LOG.warn("healing round failed: {}", e.toString());
        }
    }

    private boolean holds(String lease) {
        try {
            return leases.hold(lease, LEASE);
        } catch (RuntimeException e) {
            LOG.warn("cannot take the {} lease: {}", lease, e.toString());
            return false;
        }
    }

    /**
     * Reads the stream on from the cursor. Entries are {@code <seq>-0}: a first entry beyond the cursor's next means
     * the stream was trimmed past events this service never read (it was down, say), so every instance is
     * reconciled with the scheduler. An entry that cannot be handled is logged and stepped over.
     */
    private void read() {
        if (bus == null) {
            bus = client.connect();
        }
        long seq = cursors.findById("events").map(StreamCursor::seq).orElse(0L);
        List<StreamMessage<String, String>> read = bus.sync().xread(XReadArgs.Builder.count(500),
                XReadArgs.StreamOffset.from(stream, seq + "-0"));
        for (StreamMessage<String, String> m : read) {
            long next = sequence(m.getId());
            if (next > seq + 1) {
                LOG.warn("events {} to {} left the stream before they were read: reconciling every cluster with the "
                        + "scheduler", seq + 1, next - 1);
                reconcileDue = nanoTime.getAsLong();
            }
            try {
                handle(m.getBody().get("type"), m.getBody().get("json"));
            } catch (RuntimeException e) {
                LOG.warn("event {} cannot be handled, stepped over: {}", m.getId(), e.toString());
            }
            seq = Math.max(seq, next);
        }
        if (!read.isEmpty()) {
            cursors.update(new StreamCursor("events", seq));
        }
    }

    /** The scheduler's sequence of a stream entry ({@code <seq>-0}). */
    static long sequence(String id) {
        int dash = id.indexOf('-');
        return Long.parseLong(dash < 0 ? id : id.substring(0, dash));
    }

    /**
     * Compares every instance with its container as the scheduler has it now: one that died, was lost or is gone
     * becomes a suspect, as its event would have made it. Done at start, after a gap in the stream or an outage of
     * the bus, and every {@link #RECONCILE_INTERVAL} in case an event was missed in some other way.
     */
    private void reconcile() {
        reconcileDue = nanoTime.getAsLong() + RECONCILE_INTERVAL.toNanos();
        for (Cluster c : clusters.findAll()) {
            if (c.state() != ClusterState.READY) {
                continue;
            }
            List<Instance> watched = instances.findByClusterIdOrderByShardAndRoleAndId(c.id()).stream()
                    .filter(i -> i.state() == InstanceState.ACTIVE || i.state() == InstanceState.JOINING).toList();
            if (watched.isEmpty()) {
                continue;
            }
            Map<Long, Schema.Container> containers;
            try {
                containers = scheduler.containers(c.tenant(), c.app()).stream()
                        .collect(Collectors.toMap(Schema.Container::id, x -> x, (a, b) -> a));
            } catch (RuntimeException e) {
                LOG.warn("cannot reconcile cluster {}/{} with the scheduler yet: {}", c.tenant(), c.name(),
                        e.toString());
                reconcileDue = Math.min(reconcileDue, nanoTime.getAsLong() + RECONCILE_RETRY.toNanos());
                continue;
            }
            for (Instance i : watched) {
                Schema.Container container = containers.get(i.containerId());
                if (container == null || container.state() == ContainerState.DIED
                        || container.state() == ContainerState.LOST) {
                    suspects.suspect(i, (container == null ? "is gone" : container.state().id())
                            + " (found by reconciling with the scheduler)");
                }
            }
        }
    }

    /**
     * The events that make an active or joining instance a suspect: its container died or was lost, or someone
     * stopped or removed it in a ready cluster (redis-ctl removes only instances it has taken out of service first,
     * which {@link Suspects#suspect} leaves alone). The data plane then says whether it failed, and a failed one is
     * healed.
     */
    static final Set<String> SUSPICIOUS = Set.of("container.died", "container.lost", "container.stopping",
            "container.stopped", "container.removed");

    private void handle(String type, String payload) {
        if (!SUSPICIOUS.contains(type)) {
            return;
        }
        Schema.Event event;
        try {
            event = json.readValue(payload, Schema.Event.class);
        } catch (IOException e) {
            LOG.warn("an event the scheduler sent cannot be read: {}", e.toString());
            return;
        }
        if (event.container() == null) {
            return;
        }
        boolean byHand = !type.equals("container.died") && !type.equals("container.lost");
        instances.findByContainerId(event.container().id())
                // a cluster being formed or deleted has its containers removed by redis-ctl itself
                .filter(i -> !byHand || clusters.findById(i.clusterId())
                        .filter(c -> c.state() == ClusterState.READY).isPresent())
                .ifPresent(i -> suspects.suspect(i, byHand ? "was " + type.substring("container.".length())
                        + " by someone other than redis-ctl" : type.substring("container.".length())));
    }

    private void heal() {
        for (Cluster c : clusters.findAll()) {
            if (c.state() != ClusterState.READY || !tasks.findOpen(c.id()).isEmpty()) {
                continue;
            }
            // a failed master first (Role orders masters first): its shard waits for the failover, a lost replica
            // only for its replacement
            instances.findByClusterIdOrderByShardAndRoleAndId(c.id()).stream()
                    .filter(i -> i.state() == InstanceState.FAILED || i.state() == InstanceState.ABANDONED)
                    .min(Comparator.comparing(Instance::role))
                    .flatMap(failed -> service.heal(c.id(), failed.id()))
                    .ifPresent(t -> LOG.info("cluster {}/{}: healing task {}", c.tenant(), c.name(), t.id()));
        }
    }

    private void disconnect() {
        if (bus != null) {
            bus.close();
            bus = null;
        }
    }

    @PreDestroy
    void close() {
        disconnect();
        client.shutdown();
    }
}

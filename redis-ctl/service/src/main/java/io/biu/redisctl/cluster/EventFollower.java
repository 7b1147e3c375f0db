package io.biu.redisctl.cluster;

import io.biu.kit.lease.Leases;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.TaskRepository;
import io.biu.scheduler.client.Schema;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the scheduler's event stream on the bus from the last sequence handled (kept in the database, so a
 * restart resumes where it stopped): an instance whose container died or was lost becomes a suspect, which the data
 * plane's evidence clears or confirms failed ({@link Suspects}). Then, for each formed cluster without a running task,
 * a failed instance gets a healing task.
 */
@Singleton
@Requires(property = "biu.redis-ctl.background", notEquals = "false")
class EventFollower {

    private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);
    private static final Duration LEASE = Duration.ofSeconds(5);

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
    private StatefulRedisConnection<String, String> bus;

    EventFollower(StreamCursorRepository cursors, InstanceRepository instances, ClusterRepository clusters,
            TaskRepository tasks, ClusterService service, Suspects suspects, Leases leases, JsonMapper json,
            @Value("${biu.bus.uri}") String uri, @Value("${biu.bus.stream}") String stream) {
        this.cursors = cursors;
        this.instances = instances;
        this.clusters = clusters;
        this.tasks = tasks;
        this.service = service;
        this.suspects = suspects;
        this.leases = leases;
        this.json = json;
        this.stream = stream;
        this.client = RedisClient.create(uri);
    }

    @Scheduled(fixedDelay = "500ms", initialDelay = "3s")
    void follow() {
        try {
            if (!leases.hold("events", LEASE)) {
                return;
            }
            if (bus == null) {
                bus = client.connect();
            }
            long seq = cursors.findById("events").map(StreamCursor::seq).orElse(0L);
            List<StreamMessage<String, String>> read = bus.sync().xread(XReadArgs.Builder.count(500),
                    XReadArgs.StreamOffset.from(stream, seq + "-0"));
            for (StreamMessage<String, String> m : read) {
                handle(m.getBody().get("type"), m.getBody().get("json"));
                seq = Long.parseLong(m.getBody().get("seq"));
            }
            if (!read.isEmpty()) {
                cursors.update(new StreamCursor("events", seq));
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot follow the scheduler's events: {}", e.toString());
        }
        try {
            if (leases.hold("healing", LEASE)) {
                suspects.check();
                heal();
            }
        } catch (RuntimeException e) {
            LOG.warn("healing round failed: {}", e.toString());
        }
    }

    private void handle(String type, String payload) {
        if (!"container.died".equals(type) && !"container.lost".equals(type)) {
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
        instances.findByContainerId(event.container().id())
                .ifPresent(i -> suspects.suspect(i, type.substring("container.".length())));
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

    @PreDestroy
    void close() {
        if (bus != null) {
            bus.close();
        }
        client.shutdown();
    }
}

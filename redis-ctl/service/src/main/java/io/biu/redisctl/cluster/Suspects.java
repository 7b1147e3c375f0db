package io.biu.redisctl.cluster;

import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.plan.Evidence;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances the scheduler reported died or lost, watched until the data plane says what became of them (see
 * {@link Evidence}): one that answers again is a member as before; one the cluster agrees failed, once fenced, is
 * failed and healing replaces it. Nothing else is done to a suspect. The last copy of a shard (no other member of its
 * shard is active) is never fenced or given up here: its data may come back with its node, and serving its slots
 * again, empty, is an operator's decision ({@link ClusterService#serveEmpty}).
 */
@Singleton
class Suspects {

    private static final Logger LOG = LoggerFactory.getLogger(Suspects.class);

    private final InstanceRepository instances;
    private final ClusterRepository clusters;
    private final SchedulerClient scheduler;
    private final RedisAdmin redis;
    private final RedisCtlConfig config;
    /** When each suspect's probes began failing without a break ({@link System#nanoTime}). */
    private final Map<Long, Long> silentSince = new ConcurrentHashMap<>();
    /** The last verdict logged for each suspect: a suspect that waits for hours logs each change once. */
    private final Map<Long, String> told = new ConcurrentHashMap<>();

    Suspects(InstanceRepository instances, ClusterRepository clusters, SchedulerClient scheduler, RedisAdmin redis,
            RedisCtlConfig config) {
        this.instances = instances;
        this.clusters = clusters;
        this.scheduler = scheduler;
        this.redis = redis;
        this.config = config;
    }

    /** The scheduler reported the instance's container {@code what} ("died", "lost"): it becomes a suspect. */
    void suspect(Instance i, String what) {
        if (i.state() != InstanceState.ACTIVE && i.state() != InstanceState.JOINING) {
            return;
        }
        instances.update(i.suspected());
        LOG.warn("instance {} ({} on {}) of cluster {}: its container {}; watching it until the data plane says "
                + "whether it failed", i.hostPort(), i.container(), i.node(), i.clusterId(), what);
    }

    /** Looks at every suspect once. */
    void check() {
        List<Instance> suspects = instances.findByStateOrderById(InstanceState.SUSPECT);
        Set<Long> ids = suspects.stream().map(Instance::id).collect(Collectors.toSet());
        // what another process (or an operator) settled meanwhile
        silentSince.keySet().retainAll(ids);
        told.keySet().retainAll(ids);
        for (Instance suspect : suspects) {
            Cluster cluster = clusters.findById(suspect.clusterId()).orElse(null);
            if (cluster == null) {
                continue;
            }
            try {
                check(cluster, suspect);
            } catch (RuntimeException e) {
                LOG.warn("instance {} of cluster {}/{}: cannot weigh the evidence yet: {}", suspect.hostPort(),
                        cluster.tenant(), cluster.name(), e.toString());
            }
        }
    }

    private void check(Cluster cluster, Instance suspect) {
        Evidence.Verdict verdict = Evidence.of(observe(cluster, suspect));
        List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
        boolean lastCopy = all.stream().noneMatch(i -> !i.id().equals(suspect.id()) && i.shard() == suspect.shard()
                && i.state() == InstanceState.ACTIVE);
        String who = "instance " + suspect.hostPort() + " (" + suspect.role().id() + " of shard " + suspect.shard()
                + ", cluster " + cluster.tenant() + "/" + cluster.name() + ")";
        if (verdict instanceof Evidence.Alive) {
            InstanceState back = suspect.suspectedFrom() == null ? InstanceState.ACTIVE : suspect.suspectedFrom();
            instances.update(suspect.with(back));
            forget(suspect);
            LOG.info("{}: {}; {} again, nothing to heal", who, verdict.why(), back.id());
        } else if (verdict instanceof Evidence.Wait) {
            tell(suspect, verdict, who + ": waiting: " + verdict.why());
        } else if (lastCopy && all.stream().anyMatch(i -> !i.id().equals(suspect.id())
                && i.shard() == suspect.shard() && i.state() == InstanceState.SUSPECT)) {
            // Redis fails a master over to a replica that answers by itself: healing waits to know what the rest of
            // the shard is before it replaces anything
            tell(suspect, verdict, who + ": waiting: " + verdict.why() + "; the other members of its shard are "
                    + "suspects themselves, so nothing is replaced until one of them is active again");
        } else if (lastCopy) {
            tell(suspect, verdict, who + ": INCIDENT: " + verdict.why() + "; no other member of its shard is active, "
                    + "so it is neither stopped nor replaced: its data is on its node's disk. Bring it back, or an "
                    + "operator serves the shard again, empty (biu cluster serve-empty " + cluster.name() + " --shard "
                    + suspect.shard() + " --yes)");
        } else if (verdict instanceof Evidence.Fence) {
            LOG.warn("{}: {}", who, verdict.why());
            try {
                SchedulerErrors.body(scheduler.remove(cluster.tenant(), suspect.containerId()));
            } catch (HttpClientResponseException e) {
                if (e.getStatus().getCode() != 404) {
                    throw e;
                }
            }
        } else {
            instances.update(suspect.with(InstanceState.FAILED));
            forget(suspect);
            LOG.warn("{} failed: {}; healing replaces it", who, verdict.why());
        }
    }

    private Evidence.Observation observe(Cluster cluster, Instance suspect) {
        boolean answers = answers(cluster, suspect);
        long now = System.nanoTime();
        Duration silentFor = Duration.ZERO;
        if (answers) {
            silentSince.remove(suspect.id());
        } else {
            silentFor = Duration.ofNanos(now - silentSince.computeIfAbsent(suspect.id(), id -> now));
        }
        int survivors = 0;
        int flagFail = 0;
        int suspecting = 0;
        if (!answers) {
            for (Instance other : instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id())) {
                if (other.id().equals(suspect.id()) || (other.state() != InstanceState.ACTIVE
                        && other.state() != InstanceState.DRAINING)) {
                    continue;
                }
                Topology view;
                try {
                    view = redis.probe(other.address(), other.port(), cluster.password(), RedisAdmin::topology);
                } catch (RuntimeException silent) {
                    continue;
                }
                survivors++;
                Topology.Node seen = suspect.redisId() == null ? null : view.node(suspect.redisId());
                if (seen == null || seen.flags().contains("fail")) {
                    flagFail += seen == null ? 0 : 1;
                    suspecting++;
                } else if (seen.failing()) {
                    suspecting++;
                }
            }
        }
        return new Evidence.Observation(answers, silentFor, config.nodeTimeout(), container(cluster, suspect),
                survivors, flagFail, suspecting);
    }

    /** Whether the instance answers redis-ctl now (a reply of any kind: one loading its data is alive). */
    boolean answers(Cluster cluster, Instance i) {
        return redis.answers(i.address(), i.port(), cluster.password());
    }

    /** The suspect's container as the scheduler has it; the scheduler not answering is an error (no verdict). */
    private Evidence.Container container(Cluster cluster, Instance suspect) {
        Schema.Container c = scheduler.container(cluster.tenant(), suspect.containerId());
        if (c == null) {
            return Evidence.Container.NOT_RUNNING;
        }
        return switch (c.state()) {
            case RUNNING -> Evidence.Container.RUNNING;
            case LOST -> Evidence.Container.LOST;
            default -> Evidence.Container.NOT_RUNNING;
        };
    }

    /** Logs {@code what} unless the suspect's last verdict was of the same kind (its figures change every round). */
    private void tell(Instance suspect, Evidence.Verdict verdict, String what) {
        String kind = verdict.getClass().getSimpleName();
        if (!kind.equals(told.put(suspect.id(), kind))) {
            LOG.warn(what);
        }
    }

    private void forget(Instance suspect) {
        silentSince.remove(suspect.id());
        told.remove(suspect.id());
    }
}

package io.biu.redismonitor.scaling;

import io.biu.kit.lease.Leases;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Connection;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.RedisCtlClient;
import io.biu.redismonitor.MonitorConfig;
import io.biu.redismonitor.client.ActionState;
import io.biu.redismonitor.client.Inputs;
import io.biu.redismonitor.collect.Collector;
import io.biu.redismonitor.policy.Context;
import io.biu.redismonitor.policy.Decider;
import io.biu.redismonitor.policy.Decision;
import io.biu.redismonitor.policy.Policy;
import io.biu.redismonitor.policy.Window;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code interval}: reads every cluster's masters, then for each cluster the monitor manages either moves its
 * running action on by a step, or applies its policy ({@link Decider}) and records and starts what it decides. One
 * monitor process at a time does this (lease {@code monitor}).
 */
@Singleton
@Requires(property = "biu.redis-monitor.background", notEquals = "false")
class Monitor {

    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final RedisCtlClient redisCtl;
    private final SchedulerClient scheduler;
    private final Collector collector;
    private final Policies policies;
    private final ActionRepository actions;
    private final Scaler scaler;
    private final Audit audit;
    private final Leases leases;
    private final MonitorConfig config;
    private final Clock clock;
    private final Map<Long, String> passwords = new ConcurrentHashMap<>();
    private final Map<Long, String> failing = new HashMap<>();

    Monitor(RedisCtlClient redisCtl, SchedulerClient scheduler, Collector collector, Policies policies,
            ActionRepository actions, Scaler scaler, Audit audit, Leases leases, MonitorConfig config, Clock clock) {
        this.redisCtl = redisCtl;
        this.scheduler = scheduler;
        this.collector = collector;
        this.policies = policies;
        this.actions = actions;
        this.scaler = scaler;
        this.audit = audit;
        this.leases = leases;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${biu.redis-monitor.interval}", initialDelay = "2s")
    void round() {
        List<ClusterView> clusters;
        try {
            if (!leases.hold("monitor", config.interval().multipliedBy(3))) {
                return;
            }
            clusters = redisCtl.clusters();
        } catch (RuntimeException e) {
            trouble(0L, "cannot list the clusters: " + e);
            return;
        }
        collector.retain(clusters);
        passwords.keySet().retainAll(clusters.stream().map(ClusterView::id).toList());
        for (ClusterView c : clusters) {
            try {
                cluster(c);
                if (failing.remove(c.id()) != null) {
                    LOG.info("cluster {}/{}: monitored again", c.tenant(), c.name());
                }
            } catch (RuntimeException e) {
                trouble(c.id(), "cluster " + c.tenant() + "/" + c.name() + ": " + e);
            }
        }
    }

    private void cluster(ClusterView summary) {
        Optional<Action> running = actions.findFirstByClusterIdAndStateOrderByIdDesc(summary.id(),
                ActionState.RUNNING);
        if (running.isEmpty() && (!summary.ready() || !policies.managed(summary.id()))) {
            return;
        }
        ClusterView cluster = redisCtl.cluster(summary.tenant(), summary.id());
        if (cluster == null) {
            return;
        }
        Policy policy = policies.of(cluster).policy();
        Instant now = clock.instant();
        Window window = collector.collect(cluster, password(cluster), now, policy.windowAge());
        if (running.isPresent()) {
            scaler.advance(running.get(), cluster);
            return;
        }
        Context context = context(cluster, now, Context.Capacity.of(policy.maxMasters()));
        Decision decision = Decider.decide(window, policy, context);
        boolean capacityAsked = false;
        if (decision instanceof Decision.ScaleOut) {
            context = context(cluster, now, capacity(cluster));
            decision = Decider.decide(window, policy, context);
            capacityAsked = true;
        }
        Inputs inputs = Audit.inputs(decision.numbers(), context, capacityAsked);
        if (decision instanceof Decision.ScaleOut || decision instanceof Decision.ScaleIn) {
            List<Long> known = decision instanceof Decision.ScaleOut ? containers(cluster) : List.of();
            Long subject = decision instanceof Decision.ScaleIn ? drainable(cluster, window) : null;
            Optional<Action> started = scaler.start(cluster, decision, inputs, now, known, subject);
            if (started.isPresent()) {
                scaler.recorded(started.get());
                scaler.advance(started.get(), cluster);
            }
        } else if (audit.worthRecording(cluster.id(), decision, now)) {
            audit.record(cluster, decision, inputs, now, null);
        }
    }

    private Context context(ClusterView cluster, Instant now, Context.Capacity capacity) {
        Context.LastAction last = actions.findFirstByClusterIdAndStateOrderByIdDesc(cluster.id(), ActionState.DONE)
                .filter(a -> a.finishedAt() != null && !a.finishedAt().isAfter(now))
                .map(a -> new Context.LastAction(switch (a.kind()) {
                    case SCALE_OUT -> Context.Kind.SCALE_OUT;
                    case SCALE_IN -> Context.Kind.SCALE_IN;
                }, a.finishedAt())).orElse(null);
        return new Context(now, cluster.activeMasters().size(), last, cluster.busy(), capacity);
    }

    /**
     * Room in the cluster's pod for more masters of its size, each with its replicas on other nodes, and in its
     * tenant's quota.
     */
    private Context.Capacity capacity(ClusterView cluster) {
        Schema.Capacity room;
        try {
            room = scheduler.capacity(cluster.tenant(), cluster.pod(), cluster.cpu(), String.valueOf(cluster.memory()));
        } catch (HttpClientResponseException e) {
            return Context.Capacity.none("the scheduler cannot say how much room pod " + cluster.pod() + " has: "
                    + SchedulerErrors.message(e));
        }
        int masters = Room.masters(room.nodes().stream().map(Schema.NodeCapacity::count).toList(),
                cluster.replicas());
        if (room.quotaRoom() != null) {
            int byQuota = room.quotaRoom() / (1 + cluster.replicas());
            if (byQuota == 0) {
                return Context.Capacity.quota(room.quotaReason() + (cluster.replicas() == 0 ? ""
                        : "; a master and its " + cluster.replicas() + " replica" + (cluster.replicas() == 1 ? "" : "s")
                        + " need " + (1 + cluster.replicas())) + ": ask an operator to raise it");
            }
            masters = Math.min(masters, byQuota);
        }
        if (masters > 0) {
            return Context.Capacity.of(masters);
        }
        StringBuilder why = new StringBuilder("pod " + cluster.pod() + " has room for " + room.total()
                + " more instance" + (room.total() == 1 ? "" : "s") + " of " + cluster.cpu() + " cores and "
                + cluster.memory() / (1024 * 1024) + " MiB");
        if (cluster.replicas() > 0) {
            why.append("; a master and its ").append(cluster.replicas()).append(" replica")
                    .append(cluster.replicas() == 1 ? "" : "s").append(" need ").append(1 + cluster.replicas())
                    .append(" of them on different nodes");
        }
        room.nodes().stream().filter(n -> n.reason() != null).forEach(n -> why.append("; ").append(n.node())
                .append(": ").append(n.reason()));
        return Context.Capacity.none(why.append(": add nodes to the pod or free resources").toString());
    }

    private List<Long> containers(ClusterView cluster) {
        List<Schema.Container> all = scheduler.containers(cluster.tenant(), cluster.app());
        return all == null ? List.of() : all.stream().map(Schema.Container::id).toList();
    }

    /** The active master holding the least data: the cheapest to drain. */
    private Long drainable(ClusterView cluster, Window window) {
        Map<String, Long> used = new HashMap<>();
        window.samples().forEach((master, samples) -> used.put(master, samples.get(samples.size() - 1).usedMemory()));
        return cluster.activeMasters().stream()
                .min(Comparator.comparingLong((InstanceView i) -> used.getOrDefault(i.redisId(),
                        Long.MAX_VALUE)).thenComparing(i -> -i.shard()))
                .map(InstanceView::id).orElseThrow();
    }

    private String password(ClusterView cluster) {
        return passwords.computeIfAbsent(cluster.id(), id -> {
            Connection c = redisCtl.connection(cluster.tenant(), id);
            if (c == null) {
                throw new IllegalStateException("redis-ctl no longer has cluster " + id);
            }
            return c.password();
        });
    }

    /** Logs a problem once, until it clears. */
    private void trouble(long key, String message) {
        if (!message.equals(failing.put(key, message))) {
            LOG.warn("{}", message);
        }
    }
}

package io.biu.redisctl.cluster;

import io.biu.kit.lease.Leases;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Member;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.TaskRepository;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No orphans: a ready container of a cluster's app that nobody joined within the grace period (its caller
 * died half-way, say) is joined by this reconciler: as a master if it was deployed as one, else as a replica
 * while some master lacks one. A replica no master needs is surplus, and is removed.
 */
@Singleton
@Requires(property = "biu.redis-ctl.background", notEquals = "false")
class Adoption {

    private static final Logger LOG = LoggerFactory.getLogger(Adoption.class);

    private final ClusterRepository clusters;
    private final InstanceRepository instances;
    private final TaskRepository tasks;
    private final ClusterService service;
    private final SchedulerClient scheduler;
    private final Leases leases;
    private final RedisCtlConfig config;
    private final Clock clock;

    Adoption(ClusterRepository clusters, InstanceRepository instances, TaskRepository tasks, ClusterService service,
            SchedulerClient scheduler, Leases leases, RedisCtlConfig config, Clock clock) {
        this.clusters = clusters;
        this.instances = instances;
        this.tasks = tasks;
        this.service = service;
        this.scheduler = scheduler;
        this.leases = leases;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${biu.redis-ctl.adopt-interval}", initialDelay = "5s")
    void reconcile() {
        try {
            if (!leases.hold("adoption", config.adoptInterval().multipliedBy(3))) {
                return;
            }
            for (Cluster c : clusters.findAll()) {
                if (c.state() == ClusterState.READY && tasks.findOpen(c.id()).isEmpty()) {
                    reconcile(c);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("adoption round failed: {}", e.toString());
        }
    }

    private void reconcile(Cluster cluster) {
        List<Schema.Container> containers = scheduler.containers(cluster.tenant(), cluster.app());
        if (containers == null) {
            return;
        }
        List<Instance> current = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
        Set<Long> members = current.stream().map(Instance::containerId).collect(Collectors.toSet());
        Instant settled = clock.instant().minus(config.adoptGrace());
        List<Schema.Container> orphans = containers.stream()
                .filter(c -> !members.contains(c.id()) && c.running() && c.ready() && c.host() != null)
                .filter(c -> c.createdAt() == null || c.createdAt().isBefore(settled))
                .toList();
        if (orphans.isEmpty()) {
            return;
        }
        long masters = current.stream().filter(i -> i.role() == Role.MASTER
                && i.state() == InstanceState.ACTIVE).count();
        long replicas = current.stream().filter(i -> i.role() == Role.REPLICA
                && i.state() == InstanceState.ACTIVE).count();
        List<Member> adopt = new ArrayList<>();
        Map<Long, String> surplus = new HashMap<>();
        for (Schema.Container c : orphans) {
            if (Role.MASTER.id().equals(c.role())) {
                adopt.add(Member.of(c.id(), Role.MASTER));
                masters++;
            } else if (replicas < masters * cluster.replicas()) {
                adopt.add(Member.of(c.id(), Role.REPLICA));
                replicas++;
            } else {
                surplus.put(c.id(), c.name());
            }
        }
        if (!adopt.isEmpty()) {
            service.adopt(cluster.id(), adopt).ifPresent(t -> LOG.info("cluster {}/{}: adopting {} containers "
                    + "nobody joined (task {})", cluster.tenant(), cluster.name(), adopt.size(), t.id()));
        }
        surplus.forEach((id, name) -> {
            LOG.info("cluster {}/{}: container {} is a replica no master needs: removing it", cluster.tenant(),
                    cluster.name(), name);
            SchedulerErrors.body(scheduler.remove(cluster.tenant(), id));
        });
    }
}

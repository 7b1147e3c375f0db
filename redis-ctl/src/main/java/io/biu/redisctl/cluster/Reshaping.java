package io.biu.redisctl.cluster;

import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.cluster.Instance.Role;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.redis.Topology;
import io.biu.redisctl.task.StepHandler;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskContext;
import io.biu.redisctl.task.TaskKind;
import io.biu.redisctl.task.Waits;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tasks that change a formed cluster's shape: joining instances (masters get an even share of the
 * slots, replicas the master with the fewest replicas on another node), rebalancing, and draining a master
 * (its slots to the others, its replicas re-homed, then forgotten by every member and marked removable).
 */
final class Reshaping {

    private Reshaping() {
    }

    /** Ends a reshaping task: the cluster is ready again, or failed with the task's error. */
    abstract static class Base implements StepHandler {
        final ClusterRepository clusters;
        final Clock clock;

        Base(ClusterRepository clusters, Clock clock) {
            this.clusters = clusters;
            this.clock = clock;
        }

        @Override
        public void succeeded(Cluster cluster) {
        }

        @Override
        public void failed(Cluster cluster, String why) {
            clusters.update(cluster.withState(ClusterState.FAILED, clock.instant()));
        }
    }

    @Singleton
    static final class Join extends Base {
        private final Formation formation;
        private final Balancer balancer;
        private final InstanceRepository instances;
        private final RedisAdmin redis;

        Join(ClusterRepository clusters, Clock clock, Formation formation, Balancer balancer,
                InstanceRepository instances, RedisAdmin redis) {
            super(clusters, clock);
            this.formation = formation;
            this.balancer = balancer;
            this.instances = instances;
            this.redis = redis;
        }

        @Override
        public TaskKind kind() {
            return TaskKind.JOIN;
        }

        @Override
        public void run(String step, Cluster cluster, Task task, TaskContext context) {
            switch (step) {
                case "meet" -> formation.meet(cluster, context);
                case "replicate" -> replicate(cluster, context);
                case "activate" -> instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                        .filter(i -> i.state() == Instance.State.JOINING)
                        .forEach(i -> instances.update(i.with(Instance.State.ACTIVE)));
                case "fix-open-slots" -> balancer.fixOpenSlots(cluster, context);
                case "await-members" -> balancer.awaitMembers(cluster, context);
                case "await-agreement" -> balancer.awaitAgreement(cluster, context);
                case "migrate" -> balancer.migrate(cluster, Set.of(), context);
                default -> throw new IllegalArgumentException("joining has no step " + step);
            }
        }

        /** Each joining replica follows the master with the fewest replicas that is not on its node. */
        private void replicate(Cluster cluster, TaskContext context) {
            List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
            Topology view = balancer.view(cluster);
            for (Instance replica : all) {
                if (replica.state() != Instance.State.JOINING || replica.role() != Role.REPLICA) {
                    continue;
                }
                Topology.Node current = view.node(replica.redisId());
                Instance master = current != null && !current.master() ? byRedisId(all, current.masterId()) : null;
                if (master == null) {
                    master = Reshaping.leastFollowed(all, view, replica.node(), Set.of());
                    Instance chosen = master;
                    redis.on(replica.address(), replica.port(), cluster.password(),
                            r -> r.clusterReplicate(chosen.redisId()));
                }
                instances.update(replica.as(Role.REPLICA, master.shard()));
                context.progress("replica " + replica.address() + " follows " + master.address());
            }
        }
    }

    /** The active master with the fewest replicas, not on {@code avoidNode}, and not one of {@code excluded}. */
    static Instance leastFollowed(List<Instance> all, Topology view, String avoidNode, Set<Long> excluded) {
        Map<String, Integer> followers = new HashMap<>();
        view.nodes().stream().filter(n -> !n.master()).forEach(n -> followers.merge(n.masterId(), 1, Integer::sum));
        return all.stream()
                .filter(i -> i.role() == Role.MASTER && i.state() == Instance.State.ACTIVE && i.redisId() != null)
                .filter(i -> !excluded.contains(i.id()) && !i.node().equals(avoidNode))
                .filter(i -> view.node(i.redisId()) != null && view.node(i.redisId()).master()
                        && !view.node(i.redisId()).failing())
                .min(Comparator.comparingInt((Instance i) -> followers.getOrDefault(i.redisId(), 0))
                        .thenComparing(Instance::shard))
                .orElseThrow(() -> new CtlException(CtlError.NO_CAPACITY, "no active master on another node than "
                        + avoidNode + " can take a replica"));
    }

    static Instance byRedisId(List<Instance> all, String redisId) {
        return all.stream().filter(i -> redisId != null && redisId.equals(i.redisId())).findFirst().orElse(null);
    }

    @Singleton
    static final class Rebalance extends Base {
        private final Balancer balancer;

        Rebalance(ClusterRepository clusters, Clock clock, Balancer balancer) {
            super(clusters, clock);
            this.balancer = balancer;
        }

        @Override
        public TaskKind kind() {
            return TaskKind.REBALANCE;
        }

        @Override
        public void run(String step, Cluster cluster, Task task, TaskContext context) {
            switch (step) {
                case "fix-open-slots" -> balancer.fixOpenSlots(cluster, context);
                case "migrate" -> balancer.migrate(cluster, Set.of(), context);
                case "await-agreement" -> balancer.awaitAgreement(cluster, context);
                default -> throw new IllegalArgumentException("rebalancing has no step " + step);
            }
        }
    }

    @Singleton
    static final class Drain extends Base {
        private final Balancer balancer;
        private final InstanceRepository instances;
        private final RedisAdmin redis;

        private final RedisCtlConfig config;

        Drain(ClusterRepository clusters, Clock clock, Balancer balancer, InstanceRepository instances,
                RedisAdmin redis, RedisCtlConfig config) {
            super(clusters, clock);
            this.config = config;
            this.balancer = balancer;
            this.instances = instances;
            this.redis = redis;
        }

        @Override
        public TaskKind kind() {
            return TaskKind.DRAIN;
        }

        @Override
        public void run(String step, Cluster cluster, Task task, TaskContext context) {
            Instance drained = instances.findById(task.subject()).orElseThrow(() -> new CtlException(CtlError.NOT_FOUND,
                    "the instance being drained is gone"));
            switch (step) {
                case "fix-open-slots" -> balancer.fixOpenSlots(cluster, context);
                case "migrate" -> balancer.migrate(cluster, Set.of(drained.redisId()), context);
                case "rehome-replicas" -> rehome(cluster, drained, context);
                case "forget" -> forget(cluster, drained, context);
                case "mark-removable" -> {
                    context.progress("waiting " + config.drainGrace().toSeconds() + " s for clients to follow");
                    Waits.sleep(config.drainGrace().toMillis());
                    instances.update(drained.with(Instance.State.REMOVABLE));
                }
                default -> throw new IllegalArgumentException("draining has no step " + step);
            }
        }

        /** The drained master's replicas follow other masters. */
        private void rehome(Cluster cluster, Instance drained, TaskContext context) {
            List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
            Topology view = balancer.view(cluster);
            for (Topology.Node n : view.nodes()) {
                if (n.master() || !drained.redisId().equals(n.masterId())) {
                    continue;
                }
                Instance replica = byRedisId(all, n.id());
                if (replica == null) {
                    continue;
                }
                Instance master = leastFollowed(all, view, replica.node(), Set.of(drained.id()));
                redis.on(replica.address(), replica.port(), cluster.password(),
                        r -> r.clusterReplicate(master.redisId()));
                instances.update(replica.as(Role.REPLICA, master.shard()));
                context.progress("replica " + replica.address() + " now follows " + master.address());
            }
        }

        /**
         * Every other member forgets the drained instance. The instance itself keeps its view, so a client that
         * still asks it is redirected (it owns no slot) rather than refused, until it is removed: nobody lists it
         * any more, so it cannot gossip its way back in.
         */
        private void forget(Cluster cluster, Instance drained, TaskContext context) {
            int slots = redis.on(drained.address(), drained.port(), cluster.password(),
                    r -> Topology.parse(r.clusterNodes()).myself().slots().size());
            if (slots > 0) {
                throw new IllegalStateException(drained.address() + " still holds " + slots + " slots");
            }
            for (Instance i : instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id())) {
                if (i.id().equals(drained.id()) || i.state() == Instance.State.REMOVABLE) {
                    continue;
                }
                redis.on(i.address(), i.port(), cluster.password(), r -> {
                    if (Topology.parse(r.clusterNodes()).node(drained.redisId()) != null) {
                        r.clusterForget(drained.redisId());
                    }
                    return null;
                });
            }
            context.progress(drained.address() + " is out of the cluster");
        }
    }
}

package io.biu.redisctl.cluster;

import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.task.StepHandler;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskContext;
import io.biu.redisctl.task.Waits;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The tasks that change a formed cluster's shape: joining instances (masters get an even share of the
 * slots, replicas the master with the fewest replicas on another node), rebalancing, and draining a master
 * (its slots to the others, as many of its replicas re-homed as the masters left need and the rest retired
 * with it, then the master and the retired replicas forgotten by every member and marked removable).
 */
final class Reshaping {

    private Reshaping() {
    }

    /** Ends a reshaping task: the cluster is ready again, or failed with the task's error. */
    abstract static class Base<S extends Enum<S> & TaskStep> implements StepHandler<S> {
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
    static final class Join extends Base<TaskKind.Join> {
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
        public Class<TaskKind.Join> steps() {
            return TaskKind.Join.class;
        }

        @Override
        public StepCode code(TaskKind.Join step, Cluster cluster, Task task) {
            return switch (step) {
                case MEET -> context -> formation.meet(cluster, context);
                case REPLICATE -> context -> replicate(cluster, context);
                case ACTIVATE -> context -> activate(cluster);
                case FIX_OPEN_SLOTS -> context -> balancer.fixOpenSlots(cluster, context);
                case AWAIT_MEMBERS -> context -> balancer.awaitMembers(cluster, context);
                case MIGRATE -> context -> balancer.migrate(cluster, Set.of(), context);
                case AWAIT_AGREEMENT -> context -> balancer.awaitAgreement(cluster, context);
            };
        }

        private void activate(Cluster cluster) {
            instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                    .filter(i -> i.state() == InstanceState.JOINING)
                    .forEach(i -> instances.update(i.with(InstanceState.ACTIVE)));
        }

        /** Each joining replica follows the master with the fewest replicas that is not on its node. */
        private void replicate(Cluster cluster, TaskContext context) {
            List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
            Topology view = balancer.view(cluster);
            for (Instance replica : all) {
                if (replica.state() != InstanceState.JOINING || replica.role() != Role.REPLICA) {
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
        return leastFollowed(all, view, avoidNode, excluded, followers);
    }

    /** The same, counting replicas as {@code followers} says (replicas by master's Redis id). */
    static Instance leastFollowed(List<Instance> all, Topology view, String avoidNode, Set<Long> excluded,
            Map<String, Integer> followers) {
        return all.stream()
                .filter(i -> i.role() == Role.MASTER && i.state() == InstanceState.ACTIVE && i.redisId() != null)
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

    /**
     * What draining does with the drained master's replicas.
     *
     * @param keep      replicas to re-home, in order
     * @param retire    replicas no master left needs: they go with the drained master
     * @param followers replicas each master left has (by Redis id), not counting {@code keep}
     * @param needed    replicas the masters left need: their number times the cluster's replicas per master
     * @param have      active replicas that follow them already
     */
    record DrainedReplicas(List<Instance> keep, List<Instance> retire, Map<String, Integer> followers, int needed,
            int have) {
    }

    /**
     * Splits the drained master's active replicas into those the other masters need and the surplus: with
     * {@code needed} = the other active masters times {@code replicasPerMaster} and {@code have} = the active
     * replicas that follow one of them, each of the drained master's replicas is kept while {@code have < needed}
     * (and counted), in the order of {@code all}; the rest are retired. A replica is the drained master's if it
     * follows it, or if redis-ctl still books it in the drained master's shard: Redis itself moves the replicas
     * of a master that lost its last slot to the master that took it (cluster-allow-replica-migration), often
     * before this step runs. Replicas retired by an earlier run (DRAINING) are left out, and one re-homed by it
     * is booked in its new shard and counted in {@code have}, so a run after a crash keeps its decisions.
     */
    static DrainedReplicas drainedReplicas(Instance drained, List<Instance> all, Topology view, int replicasPerMaster) {
        int masters = 0;
        Map<String, Integer> followers = new HashMap<>();
        List<Instance> orphans = new ArrayList<>();
        for (Instance i : all) {
            Topology.Node n = i.redisId() == null ? null : view.node(i.redisId());
            if (i.id().equals(drained.id()) || i.state() != InstanceState.ACTIVE || n == null) {
                continue;
            }
            if (n.master()) {
                masters++;
            } else if (n.masterId().equals(drained.redisId())
                    || (i.role() == Role.REPLICA && i.shard() == drained.shard())) {
                orphans.add(i);
            } else {
                followers.merge(n.masterId(), 1, Integer::sum);
            }
        }
        int needed = masters * replicasPerMaster;
        int have = followers.values().stream().mapToInt(Integer::intValue).sum();
        List<Instance> keep = new ArrayList<>();
        List<Instance> retire = new ArrayList<>();
        int kept = have;
        for (Instance orphan : orphans) {
            if (kept < needed) {
                keep.add(orphan);
                kept++;
            } else {
                retire.add(orphan);
            }
        }
        return new DrainedReplicas(keep, retire, followers, needed, have);
    }

    @Singleton
    static final class Rebalance extends Base<TaskKind.Rebalance> {
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
        public Class<TaskKind.Rebalance> steps() {
            return TaskKind.Rebalance.class;
        }

        @Override
        public StepCode code(TaskKind.Rebalance step, Cluster cluster, Task task) {
            return switch (step) {
                case FIX_OPEN_SLOTS -> context -> balancer.fixOpenSlots(cluster, context);
                case MIGRATE -> context -> balancer.migrate(cluster, Set.of(), context);
                case AWAIT_AGREEMENT -> context -> balancer.awaitAgreement(cluster, context);
            };
        }
    }

    /**
     * Drains a master (the task's subject, DRAINING since the request): its slots go to the other masters, its
     * replicas are re-homed as far as those masters need them and retired (DRAINING) otherwise, every other
     * member forgets the master and the retired replicas, and after a grace period all of them are REMOVABLE,
     * each to be removed by a DELETE of its instance. Each step works from the live state, so a run after a
     * crash continues where the last one stopped.
     */
    @Singleton
    static final class Drain extends Base<TaskKind.Drain> {
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
        public Class<TaskKind.Drain> steps() {
            return TaskKind.Drain.class;
        }

        @Override
        public StepCode code(TaskKind.Drain step, Cluster cluster, Task task) {
            Instance drained = instances.findById(task.subject()).orElseThrow(() -> new CtlException(CtlError.NOT_FOUND,
                    "the instance being drained is gone"));
            return switch (step) {
                case FIX_OPEN_SLOTS -> context -> balancer.fixOpenSlots(cluster, context);
                case MIGRATE -> context -> balancer.migrate(cluster, Set.of(drained.redisId()), context);
                case REHOME_REPLICAS -> context -> rehome(cluster, drained, context);
                case FORGET -> context -> forget(cluster, drained, context);
                case MARK_REMOVABLE -> context -> markRemovable(cluster, drained, context);
            };
        }

        /**
         * The drained master's replicas that the other masters need follow them, the others are retired: marked
         * DRAINING, so that nothing heals, adopts or offers them, and they go with the master (see
         * {@link Reshaping#drainedReplicas}).
         */
        private void rehome(Cluster cluster, Instance drained, TaskContext context) {
            List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
            Topology view = balancer.view(cluster);
            DrainedReplicas plan = drainedReplicas(drained, all, view, cluster.replicas());
            context.progress("the masters left need " + plan.needed() + " replicas and have " + plan.have() + ": "
                    + plan.keep().size() + " of " + drained.address() + "'s replicas re-homed, " + plan.retire().size()
                    + " retired");
            Map<String, Integer> followers = new HashMap<>(plan.followers());
            for (Instance replica : plan.keep()) {
                // the replica's own word: Redis may have moved it since the view was taken
                String current = redis.on(replica.address(), replica.port(), cluster.password(),
                        r -> RedisAdmin.topology(r).myself().masterId());
                Instance master = target(all, view, drained, replica, current, followers);
                if (!master.redisId().equals(current)) {
                    redis.on(replica.address(), replica.port(), cluster.password(),
                            r -> r.clusterReplicate(master.redisId()));
                }
                followers.merge(master.redisId(), 1, Integer::sum);
                instances.update(replica.as(Role.REPLICA, master.shard()));
                context.progress("replica " + replica.address() + " now follows " + master.address());
            }
            for (Instance replica : plan.retire()) {
                instances.update(replica.with(InstanceState.DRAINING));
                context.progress("replica " + replica.address() + " retires with " + drained.address() + ": the "
                        + "masters left have the " + plan.needed() + " replicas they need");
            }
        }

        /**
         * The master a kept replica follows: the staying master with the fewest replicas on another node, unless
         * the one it follows now (Redis moves the replicas of a master that lost its last slot) does as well; that
         * one also when no other can take it. Keeping it where it is spares it a full resynchronisation.
         */
        static Instance target(List<Instance> all, Topology view, Instance drained, Instance replica,
                String currentId, Map<String, Integer> followers) {
            Instance current = byRedisId(all, currentId);
            Topology.Node n = current == null ? null : view.node(current.redisId());
            boolean stays = current != null && !current.id().equals(drained.id())
                    && current.state() == InstanceState.ACTIVE && n != null && n.master() && !n.failing();
            Instance least;
            try {
                least = leastFollowed(all, view, replica.node(), Set.of(drained.id()), followers);
            } catch (CtlException noneOnAnotherNode) {
                if (stays) {
                    return current;
                }
                throw noneOnAnotherNode;
            }
            boolean asGood = stays && !current.node().equals(replica.node())
                    && followers.getOrDefault(current.redisId(), 0) <= followers.getOrDefault(least.redisId(), 0);
            return asGood ? current : least;
        }

        /**
         * Every other member forgets the drained instance and the replicas retired with it. Those keep their view,
         * so a client that still asks one is redirected (the master owns no slot) rather than refused, until it
         * is removed: nobody lists them any more, so they cannot gossip their way back in.
         */
        private void forget(Cluster cluster, Instance drained, TaskContext context) {
            int slots = redis.on(drained.address(), drained.port(), cluster.password(),
                    r -> Topology.parse(r.clusterNodes()).myself().slots().size());
            if (slots > 0) {
                throw new IllegalStateException(drained.address() + " still holds " + slots + " slots");
            }
            List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
            List<Instance> gone = all.stream()
                    .filter(i -> i.id().equals(drained.id()) || i.state() == InstanceState.DRAINING).toList();
            for (Instance i : all) {
                if (gone.contains(i) || i.state() == InstanceState.REMOVABLE) {
                    continue;
                }
                redis.on(i.address(), i.port(), cluster.password(), r -> {
                    Topology known = Topology.parse(r.clusterNodes());
                    for (Instance g : gone) {
                        if (g.redisId() != null && known.node(g.redisId()) != null) {
                            r.clusterForget(g.redisId());
                        }
                    }
                    return null;
                });
            }
            context.progress(gone.stream().map(Instance::address).collect(Collectors.joining(", "))
                    + (gone.size() == 1 ? " is" : " are") + " out of the cluster");
        }

        /**
         * After the grace period (clients that still route to the drained master learn the new layout), the
         * master and its retired replicas are removable: each is removed by a DELETE of its instance.
         */
        private void markRemovable(Cluster cluster, Instance drained, TaskContext context) {
            context.progress("waiting " + config.drainGrace().toSeconds() + " s for clients to follow");
            Waits.sleep(config.drainGrace().toMillis());
            List<Instance> removable = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                    .filter(i -> i.id().equals(drained.id()) || i.state() == InstanceState.DRAINING).toList();
            removable.forEach(i -> instances.update(i.with(InstanceState.REMOVABLE)));
            context.progress("removable: " + removable.stream().map(i -> "instance " + i.id() + " (" + i.address()
                    + ")").collect(Collectors.joining(", ")));
        }
    }
}

package io.biu.redisctl.cluster;

import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.plan.Member;
import io.biu.redisctl.plan.Replicas;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.StepHandler;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskContext;
import jakarta.inject.Singleton;
import java.time.Clock;
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

        /**
         * Each joining replica follows the master with the fewest replicas that is not on its node (or keeps the one an
         * earlier run attached it to), as {@link Replicas#ofJoining} has it.
         */
        private void replicate(Cluster cluster, TaskContext context) {
            List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
            List<Member> members = Members.of(all);
            Topology view = balancer.view(cluster);
            for (Instance replica : all) {
                if (replica.state() != InstanceState.JOINING || replica.role() != Role.REPLICA) {
                    continue;
                }
                context.ensureHeld();
                Instance master = follow(cluster, replica, Replicas.ofJoining(replica.member(), members, view), all,
                        redis);
                instances.update(replica.as(Role.REPLICA, master.shard()));
                context.progress("replica " + replica.address() + " follows " + master.address());
            }
        }
    }

    /** Has {@code replica} follow the master {@code home} names (or refuses, if none can take it); returns that master. */
    static Instance follow(Cluster cluster, Instance replica, Replicas.Home home, List<Instance> all, RedisAdmin redis) {
        if (home instanceof Replicas.Home.Keeps keeps) {
            return Members.instance(all, keeps.master());
        }
        if (home instanceof Replicas.Home.Follows follows) {
            Instance master = Members.instance(all, follows.master());
            redis.on(replica.address(), replica.port(), cluster.password(), r -> r.clusterReplicate(master.redisId()));
            return master;
        }
        throw new CtlException(CtlError.NO_CAPACITY, "no active master on another node than " + replica.node()
                + " can take a replica");
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
         * {@link Replicas#ofDrained} and {@link Replicas#ofKept}).
         */
        private void rehome(Cluster cluster, Instance drained, TaskContext context) {
            List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
            List<Member> members = Members.of(all);
            Topology view = balancer.view(cluster);
            Replicas.Drained plan = Replicas.ofDrained(drained.member(), members, view, cluster.replicas());
            context.progress("the masters left need " + plan.needed() + " replicas and have " + plan.have() + ": "
                    + plan.keep().size() + " of " + drained.address() + "'s replicas re-homed, " + plan.retire().size()
                    + " retired");
            Map<String, Integer> followers = new HashMap<>(plan.followers());
            for (Member kept : plan.keep()) {
                Instance replica = Members.instance(all, kept);
                context.ensureHeld();
                // the replica's own word: Redis may have moved it since the view was taken
                String current = redis.on(replica.address(), replica.port(), cluster.password(),
                        r -> RedisAdmin.topology(r).myself().masterId());
                Replicas.Home home = Replicas.ofKept(kept, drained.member(), current, members, view, followers);
                Instance master = follow(cluster, replica, home, all, redis);
                followers.merge(master.redisId(), 1, Integer::sum);
                instances.update(replica.as(Role.REPLICA, master.shard()));
                context.progress("replica " + replica.address() + " now follows " + master.address());
            }
            for (Member retired : plan.retire()) {
                Instance replica = Members.instance(all, retired);
                instances.update(replica.with(InstanceState.DRAINING));
                context.progress("replica " + replica.address() + " retires with " + drained.address() + ": the "
                        + "masters left have the " + plan.needed() + " replicas they need");
            }
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
                context.ensureHeld();
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
            context.sleep(config.drainGrace());
            List<Instance> removable = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                    .filter(i -> i.id().equals(drained.id()) || i.state() == InstanceState.DRAINING).toList();
            removable.forEach(i -> instances.update(i.with(InstanceState.REMOVABLE)));
            context.progress("removable: " + removable.stream().map(i -> "instance " + i.id() + " (" + i.address()
                    + ")").collect(Collectors.joining(", ")));
        }
    }
}

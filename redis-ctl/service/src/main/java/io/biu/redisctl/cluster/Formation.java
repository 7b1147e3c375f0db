package io.biu.redisctl.cluster;

import io.biu.kit.info.RedisInfo;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Naming;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.plan.Convergence;
import io.biu.redisctl.plan.SlotPlan;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.StepHandler;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskContext;
import io.biu.redisctl.task.Waits;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.lettuce.core.Range;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forms a cluster: deploys one master and its replicas per shard (a shard's members share an anti-affinity
 * group, so a master never shares a node with its replicas), waits for them to be ready, introduces them to
 * each other (MEET), gives each master an even range of slots (ADDSLOTSRANGE), attaches the replicas
 * (REPLICATE) and waits until every instance reports {@code cluster_state:ok}. Each step looks before it acts,
 * so it can run again after a crash.
 */
@Singleton
final class Formation implements StepHandler<TaskKind.Form> {

    private static final Logger LOG = LoggerFactory.getLogger(Formation.class);

    private final SchedulerClient scheduler;
    private final ShardVolumes volumes;
    private final ClusterRepository clusters;
    private final InstanceRepository instances;
    private final RedisAdmin redis;
    private final RedisCtlConfig config;
    private final Clock clock;
    private final ExecutorService executor;

    Formation(SchedulerClient scheduler, ShardVolumes volumes, ClusterRepository clusters,
            InstanceRepository instances, RedisAdmin redis, RedisCtlConfig config, Clock clock,
            @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.executor = executor;
        this.scheduler = scheduler;
        this.volumes = volumes;
        this.clusters = clusters;
        this.instances = instances;
        this.redis = redis;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.FORM;
    }

    @Override
    public Class<TaskKind.Form> steps() {
        return TaskKind.Form.class;
    }

    @Override
    public StepCode code(TaskKind.Form step, Cluster cluster, Task task) {
        return switch (step) {
            case DEPLOY -> context -> deploy(cluster, context);
            case AWAIT_READY -> context -> awaitReady(cluster, context);
            case MEET -> context -> meet(cluster, context);
            case ASSIGN_SLOTS -> context -> assignSlots(cluster, context);
            case REPLICATE -> context -> replicate(cluster, context);
            case AWAIT_OK -> context -> awaitOk(cluster, context);
        };
    }

    @Override
    public void succeeded(Cluster cluster) {
        clusters.update(cluster.withState(ClusterState.READY, clock.instant()));
        LOG.info("cluster {}/{} is ready", cluster.tenant(), cluster.name());
    }

    @Override
    public void failed(Cluster cluster, String why) {
        clusters.update(cluster.withState(ClusterState.FAILED, clock.instant()));
    }

    /**
     * Deploys what each shard lacks: its master, then its replicas, all in the shard's anti-affinity group, each (if the
     * cluster keeps data) with the volume key of a free position of its shard, the master the lowest, emptied first of
     * any volume left there ({@link ShardVolumes#emptied}): a position a live container mounts is not free, so a run
     * after a crash never touches the volume of a container the last run deployed. Shards are deployed at once; the
     * scheduler serialises their reservations.
     */
    private void deploy(Cluster cluster, TaskContext context) {
        List<Schema.Container> live = ShardVolumes.live(scheduler, cluster);
        List<CompletableFuture<Void>> shards = new ArrayList<>();
        for (int shard = 0; shard < cluster.masters(); shard++) {
            String group = Naming.shardGroup(cluster.id(), shard);
            long masters = live.stream().filter(c -> group.equals(c.group()) && Role.MASTER.id().equals(c.role()))
                    .count();
            long replicas = live.stream().filter(c -> group.equals(c.group()) && Role.REPLICA.id().equals(c.role()))
                    .count();
            if (masters > 0 && replicas >= cluster.replicas()) {
                continue;
            }
            int missing = (int) (cluster.replicas() - replicas);
            List<String> free = ShardVolumes.free(cluster, shard, live);
            int wanted = (masters == 0 ? 1 : 0) + Math.max(0, missing);
            if (free.size() < wanted && !free.isEmpty()) {
                throw new IllegalStateException("shard " + shard + " has " + free.size() + " free positions for "
                        + wanted + " containers: " + free);
            }
            int shardNumber = shard;
            shards.add(CompletableFuture.runAsync(() -> {
                context.ensureHeld();
                // every container of a cluster being formed starts empty
                List<String> keys = free.isEmpty() ? List.of()
                        : new ArrayList<>(volumes.emptied(cluster, shardNumber, free.subList(0, wanted)));
                if (masters == 0) {
                    SchedulerErrors.body(scheduler.deploy(cluster.tenant(), cluster.app(), new Schema.Deploy(1, null,
                            List.of(group), Role.MASTER.id(), null, take(keys, 1))));
                }
                if (missing > 0) {
                    context.ensureHeld();
                    SchedulerErrors.body(scheduler.deploy(cluster.tenant(), cluster.app(), new Schema.Deploy(
                            missing, null, List.of(group), Role.REPLICA.id(), null, take(keys, missing))));
                }
            }, executor));
        }
        try {
            CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        context.progress("deployed " + cluster.masters() + " shards");
    }

    /** The first {@code count} of the keys, taken off the list; null (no keys) when the cluster has none. */
    private static @Nullable List<String> take(List<String> keys, int count) {
        if (keys.isEmpty()) {
            return null;
        }
        List<String> taken = List.copyOf(keys.subList(0, count));
        keys.subList(0, count).clear();
        return taken;
    }

    /** Waits until every member runs and passed its probe, then records them as the cluster's instances. */
    private void awaitReady(Cluster cluster, TaskContext context) {
        List<Schema.Container> ready = Waits.until(context, config.readyTimeout(), "instances to be ready", () -> {
            List<Schema.Container> live = ShardVolumes.live(scheduler, cluster);
            long count = live.stream().filter(c -> c.running() && c.ready()).count();
            context.progress(count + " of " + cluster.size() + " instances ready");
            if (live.size() < cluster.size()) {
                // a member died or was lost before it was ready: deploy its replacement
                deploy(cluster, context);
                return null;
            }
            return count >= cluster.size() ? live : null;
        });
        Instant now = clock.instant();
        for (Schema.Container c : ready) {
            if (instances.findByContainerId(c.id()).isEmpty()) {
                Role role = Role.MASTER.id().equals(c.role()) ? Role.MASTER : Role.REPLICA;
                instances.save(ShardVolumes.instance(cluster, c, Naming.shardOf(cluster.id(), c.group()), role,
                        InstanceState.ACTIVE, now));
            }
        }
    }

    /**
     * Introduces every instance (joining ones included) that does not know the first one to it, and waits until
     * each knows all the others; the others learn of a newcomer from the first one, through gossip. (Every
     * member meeting the newcomer at once is faster, but clients that took the newcomer's early view of the
     * cluster, with slots it had not learnt yet, then found slots without a master.)
     */
    void meet(Cluster cluster, TaskContext context) {
        List<Instance> all = withIds(cluster);
        Instance seed = all.get(0);
        // the cluster bus port is the client port + 10000 unless the instance shares its node's network
        int seedBus = redis.on(seed.address(), seed.port(), cluster.password(),
                r -> RedisAdmin.topology(r).myself().busPort());
        for (Instance i : all.subList(1, all.size())) {
            context.ensureHeld();
            redis.on(i.address(), i.port(), cluster.password(), r -> {
                if (RedisAdmin.topology(r).node(seed.redisId()) == null) {
                    RedisAdmin.meet(r, seed.address(), seed.port(), seedBus);
                }
                return null;
            });
        }
        Waits.until(context, config.convergeTimeout(), "every instance to know the others", () -> {
            int knowing = 0;
            for (Instance i : all) {
                Topology view = redis.on(i.address(), i.port(), cluster.password(), RedisAdmin::topology);
                boolean knowsAll = all.stream().allMatch(o -> view.knows(o.redisId()));
                knowing += knowsAll ? 1 : 0;
            }
            context.progress(knowing + " of " + all.size() + " instances know every other");
            return knowing == all.size() ? Boolean.TRUE : null;
        });
    }

    /** Each instance with its CLUSTER MYID recorded. */
    private List<Instance> withIds(Cluster cluster) {
        List<Instance> all = new ArrayList<>();
        for (Instance i : instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id())) {
            if (i.state() != InstanceState.ACTIVE && i.state() != InstanceState.JOINING) {
                continue;
            }
            String id = redis.on(i.address(), i.port(), cluster.password(), r -> r.clusterMyId());
            all.add(id.equals(i.redisId()) ? i : instances.update(i.withRedisId(id)));
        }
        return all;
    }

    private void assignSlots(Cluster cluster, TaskContext context) {
        List<Instance> masters = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(i -> i.role() == Role.MASTER).toList();
        for (Instance m : masters) {
            context.ensureHeld();
            int[] range = SlotPlan.range(m.shard(), cluster.masters());
            redis.on(m.address(), m.port(), cluster.password(), r -> {
                if (!RedisAdmin.topology(r).myself().slots().contains(range[0])) {
                    r.clusterAddSlotsRange(Range.create(range[0], range[1]));
                }
                return null;
            });
        }
        context.progress("slots given to " + masters.size() + " masters");
    }

    private void replicate(Cluster cluster, TaskContext context) {
        List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
        Map<Integer, Instance> masterOf = new HashMap<>();
        all.stream().filter(i -> i.role() == Role.MASTER).forEach(m -> masterOf.put(m.shard(), m));
        int attached = 0;
        for (Instance replica : all) {
            if (replica.role() != Role.REPLICA) {
                continue;
            }
            Instance master = masterOf.get(replica.shard());
            context.ensureHeld();
            redis.on(replica.address(), replica.port(), cluster.password(), r -> {
                if (!master.redisId().equals(RedisAdmin.topology(r).myself().masterId())) {
                    r.clusterReplicate(master.redisId());
                }
                return null;
            });
            context.progress(++attached + " replicas attached");
        }
    }

    /**
     * Waits until every instance serves the whole slot space and every replica follows its master, as
     * {@link Convergence} has it: a replica whose master failed too is only asked for cluster_state:ok.
     */
    void awaitOk(Cluster cluster, TaskContext context) {
        List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(i -> i.state() == InstanceState.ACTIVE || i.state() == InstanceState.JOINING).toList();
        Map<Long, Convergence.Check> checks = Convergence.of(Members.of(all));
        Waits.until(context, config.convergeTimeout(), "cluster_state:ok on every instance", () -> {
            int ok = 0;
            for (Instance i : all) {
                boolean good = redis.on(i.address(), i.port(), cluster.password(), r -> {
                    Map<String, String> info = RedisInfo.fields(r.clusterInfo());
                    if (!"ok".equals(info.get("cluster_state"))) {
                        return false;
                    }
                    if (checks.get(i.id()) instanceof Convergence.Check.Follows follows) {
                        Map<String, String> replication = RedisInfo.fields(r.info("replication"));
                        return follows.masterId().equals(RedisAdmin.topology(r).myself().masterId())
                                && "up".equals(replication.get("master_link_status"));
                    }
                    return true;
                });
                ok += good ? 1 : 0;
            }
            context.progress(ok + " of " + all.size() + " instances report cluster_state:ok");
            return ok == all.size() ? Boolean.TRUE : null;
        });
    }
}

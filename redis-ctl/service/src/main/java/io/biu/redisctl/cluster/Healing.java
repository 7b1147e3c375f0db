package io.biu.redisctl.cluster;

import io.biu.kit.info.RedisInfo;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Naming;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.plan.Failover;
import io.biu.redisctl.plan.MasterSpread;
import io.biu.redisctl.plan.Member;
import io.biu.redisctl.plan.Replacement;
import io.biu.redisctl.plan.Roles;
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
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.lettuce.core.Range;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a failed instance: one the data plane's evidence showed failed, and fenced ({@link Suspects}). Redis fails
 * a dead master over to its replica by itself; healing waits for that, has every survivor forget the dead instance,
 * removes its container, deploys a replacement in the same shard (and anti-affinity group) and makes it a replica of
 * the shard's master. A shard that lost its master with no replica to take over is an incident: only once an operator
 * abandoned its master ({@link InstanceState#ABANDONED}) does its replacement become the master of the shard's slots,
 * empty (what they held is lost), so the cluster serves again; until then healing waits for the master to come back.
 * Last, masters that failovers piled up on one node are spread out again.
 */
@Singleton
final class Healing implements StepHandler<TaskKind.Heal> {

    private static final Logger LOG = LoggerFactory.getLogger(Healing.class);

    private final InstanceRepository instances;
    private final ClusterRepository clusters;
    private final Formation formation;
    private final Balancer balancer;
    private final RedisAdmin redis;
    private final SchedulerClient scheduler;
    private final ShardVolumes volumes;
    private final RedisCtlConfig config;
    private final Clock clock;

    Healing(InstanceRepository instances, ClusterRepository clusters, Formation formation, Balancer balancer,
            RedisAdmin redis, SchedulerClient scheduler, ShardVolumes volumes, RedisCtlConfig config, Clock clock) {
        this.volumes = volumes;
        this.instances = instances;
        this.clusters = clusters;
        this.formation = formation;
        this.balancer = balancer;
        this.redis = redis;
        this.scheduler = scheduler;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.HEAL;
    }

    @Override
    public Class<TaskKind.Heal> steps() {
        return TaskKind.Heal.class;
    }

    @Override
    public StepCode code(TaskKind.Heal step, Cluster cluster, Task task) {
        return switch (step) {
            case AWAIT_FAILOVER -> context -> withFailed(task, failed -> awaitFailover(cluster, failed, context));
            case FORGET -> context -> withFailed(task, failed -> forget(cluster, failed, context));
            case REPLACE -> context -> withFailed(task, failed -> replace(cluster, failed, context));
            case MEET -> context -> withFailed(task, failed -> formation.meet(cluster, context));
            case RESTORE -> context -> withFailed(task, failed -> restore(cluster, failed, context));
            case ACTIVATE -> context -> withFailed(task, failed -> activate(cluster, failed));
            case AWAIT_OK -> context -> formation.awaitOk(cluster, context);
            case SPREAD_MASTERS -> context -> spreadMasters(cluster, context);
        };
    }

    /**
     * Runs {@code step} on the failed instance, unless an earlier run of the task replaced and forgot it (or it is no
     * longer failed).
     */
    private void withFailed(Task task, Consumer<Instance> step) {
        instances.findById(task.subject())
                .filter(i -> i.state() == InstanceState.FAILED || i.state() == InstanceState.ABANDONED)
                .ifPresent(step);
    }

    private void activate(Cluster cluster, Instance failed) {
        instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(i -> i.state() == InstanceState.JOINING)
                .forEach(i -> instances.update(i.with(InstanceState.ACTIVE)));
        instances.delete(failed);
    }

    @Override
    public void succeeded(Cluster cluster) {
    }

    @Override
    public void failed(Cluster cluster, String why) {
        clusters.update(cluster.withState(ClusterState.FAILED, clock.instant()));
    }

    /**
     * Until no survivor sees a slot owned by the failed instance (its replica took over), or a replica must take over
     * without an election, as {@link Failover} explains: then the first surviving replica of the failed master that
     * accepts CLUSTER FAILOVER TAKEOVER does. With none, the shard lost every member: an incident, whose slots the
     * replacement serves again, empty.
     */
    private void awaitFailover(Cluster cluster, Instance failed, TaskContext context) {
        if (redis.answers(failed.address(), failed.port(), cluster.password())) {
            // it came back (its node, or a restart): a suspect again, for the evidence to settle; nothing is healed
            instances.update(failed.with(InstanceState.SUSPECT));
            context.progress(failed.hostPort() + " answers again: nothing is taken over or replaced");
            LOG.warn("cluster {}/{}: {} answers again: back to suspect, healing stops", cluster.tenant(),
                    cluster.name(), failed.hostPort());
            return;
        }
        try {
            Failover outcome;
            try {
                outcome = awaitFailover(cluster, failed, context, f -> !(f instanceof Failover.Waiting));
            } catch (IllegalStateException noElection) {
                outcome = new Failover.NoElection(config.failoverTimeout());
            }
            if (outcome.takeOver()) {
                IllegalStateException noReplica = new IllegalStateException("no replica of " + failed.hostPort());
                Instance replica = takeOver(cluster, failed, context).orElseThrow(() -> noReplica);
                context.progress(whyNoElection(outcome, failed) + ": its replica " + replica.hostPort() + " took over");
                awaitFailover(cluster, failed, context, f -> f instanceof Failover.Done);
            }
            context.progress(failed.hostPort() + " holds no slot any more");
        } catch (IllegalStateException noFailover) {
            if (failed.state() != InstanceState.ABANDONED) {
                if (restartInPlace(cluster, failed, context)) {
                    return;
                }
                throw new CtlException(CtlError.UNAVAILABLE, failed.hostPort() + " (shard " + failed.shard()
                        + ") failed with no replica to take over within " + config.failoverTimeout().toSeconds()
                        + " s: waiting for it to come back, or for an operator to serve the shard again, empty");
            }
            context.progress("INCIDENT: " + failed.hostPort() + " (shard " + failed.shard() + ") failed with no "
                    + "replica to take over, and an operator abandoned it: its slots will be served again, empty");
            LOG.warn("cluster {}/{}: {} failed with no replica to take over", cluster.tenant(), cluster.name(),
                    failed.hostPort());
        }
    }

    /**
     * Restarts a shard's last copy in place, with its data: once the failed instance's container is gone (removed, or
     * removed now because it died), a container of the same volume key, role and group goes to the node that holds the
     * key's volume and starts from it, with its own {@code nodes.conf} and data: the same Redis id, the same slots,
     * what it had persisted. Its record then points at the new container, a suspect again for the evidence to settle,
     * as one that answers again is. Nothing happens (false) unless the instance has a key whose volume is left on the
     * node it ran on: a volume the scheduler may not mount is no restart. The container is pinned to that node: when
     * the node has no room, the scheduler refuses it and healing keeps waiting, saying so. (Unpinned, the scheduler
     * would place the key elsewhere on a new, empty volume, which would then be the key's newest and draw every later
     * container of the key to it: the restart could never happen.) A container an earlier run deployed for the key is
     * taken rather than deploying another; one on another node would start empty, so it is removed.
     */
    private boolean restartInPlace(Cluster cluster, Instance failed, TaskContext context) {
        String key = failed.volumeKey();
        if (key == null || !ShardVolumes.keyed(cluster)) {
            return false;
        }
        // a live container of the key is one an earlier run deployed, unless it is the failed one's, still there
        Optional<Schema.Container> earlier = volumes.mounting(cluster, key)
                .filter(c -> c.id() != failed.containerId());
        if (earlier.isEmpty() && (!containerGone(cluster, failed) || volumes.on(cluster, key, failed.node()).isEmpty())) {
            return false;
        }
        Schema.Container c = earlier.isPresent() ? earlier.get() : deployInPlace(cluster, failed, key);
        if (!failed.node().equals(c.node())) {
            SchedulerErrors.body(scheduler.remove(cluster.tenant(), c.id()));
            throw new CtlException(CtlError.UNAVAILABLE, failed.hostPort() + " (shard " + failed.shard() + ") failed "
                    + "with no replica to take over, and its data on " + failed.node() + " cannot be restarted there "
                    + "now (the scheduler placed key " + key + " on " + c.node() + "): waiting for " + failed.node()
                    + " to have room, or for an operator to serve the shard again, empty");
        }
        Schema.Container ready = awaitReady(cluster, c, "the restarted instance", context);
        instances.update(failed.restartedIn(ready.id(), ready.name(), ready.node(), ready.host(),
                ready.port(RedisConf.PORT)));
        String what = failed.hostPort() + " (shard " + failed.shard() + ") restarted in place with its data on "
                + ready.node() + " as " + ready.host() + ":" + ready.port(RedisConf.PORT) + " (volume key " + key + ")";
        context.progress(what);
        LOG.warn("cluster {}/{}: {}", cluster.tenant(), cluster.name(), what);
        return true;
    }

    /** Deploys a container of the failed instance's key on the node of its volume, or explains why it cannot yet. */
    private Schema.Container deployInPlace(Cluster cluster, Instance failed, String key) {
        try {
            return SchedulerErrors.body(scheduler.deploy(cluster.tenant(), cluster.app(), new Schema.Deploy(1, null,
                    List.of(Naming.shardGroup(cluster.id(), failed.shard())), failed.role().id(), null, List.of(key),
                    failed.node()))).get(0);
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 422) {
                throw new CtlException(CtlError.UNAVAILABLE, failed.hostPort() + " (shard " + failed.shard()
                        + ") failed with no replica to take over, and its data (volume key " + key + ") on "
                        + failed.node() + " cannot be restarted there now: " + SchedulerErrors.message(e)
                        + "; waiting for " + failed.node() + " to have room, or for an operator to serve the shard "
                        + "again, empty", e);
            }
            throw e;
        }
    }

    /**
     * Whether the failed instance's container is gone: the scheduler no longer has it, or it died (or was stopped) and
     * its removal is confirmed now. A lost container (its node does not answer) is not: its fate is unknown.
     */
    private boolean containerGone(Cluster cluster, Instance failed) {
        Schema.Container c = scheduler.container(cluster.tenant(), failed.containerId());
        if (c == null) {
            return true;
        }
        if (c.state() != ContainerState.DIED && c.state() != ContainerState.STOPPED) {
            return false;
        }
        return SchedulerErrors.body(scheduler.remove(cluster.tenant(), c.id())).removed();
    }

    private static String whyNoElection(Failover outcome, Instance failed) {
        if (outcome instanceof Failover.NoMajority n) {
            return "no election can replace " + failed.hostPort() + " (" + n.failing() + " of " + n.masters()
                    + " masters with slots fail: too few left to vote)";
        }
        Failover.NoElection timedOut = (Failover.NoElection) outcome;
        return "no election replaced " + failed.hostPort() + " within " + timedOut.waited().toSeconds() + " s";
    }

    /**
     * Until the failover of the failed master, as the first survivor that answers sees it, is as {@code wanted}; a
     * timeout is an error. The failed one was shown failed and fenced, so not answering is not a hiccup here.
     */
    private Failover awaitFailover(Cluster cluster, Instance failed, TaskContext context, Predicate<Failover> wanted) {
        return Waits.until(context, config.failoverTimeout(), "the failover of " + failed.hostPort(), () -> {
            Failover now = Failover.of(balancer.view(cluster), failed.redisId());
            return wanted.test(now) ? now : null;
        });
    }

    /** The first of the failed master's {@link Failover#candidates} that accepts CLUSTER FAILOVER TAKEOVER, if any. */
    private Optional<Instance> takeOver(Cluster cluster, Instance failed, TaskContext context) {
        List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
        for (Member candidate : Failover.candidates(failed.member(), Members.of(all))) {
            Instance i = Members.instance(all, candidate);
            context.ensureHeld();
            try {
                boolean tookOver = redis.on(i.address(), i.port(), cluster.password(), r -> {
                    if (!failed.redisId().equals(RedisAdmin.topology(r).myself().masterId())) {
                        return false;
                    }
                    r.clusterFailover(false, true);
                    return true;
                });
                if (tookOver) {
                    LOG.warn("cluster {}/{}: {} took over from {} without an election", cluster.tenant(),
                            cluster.name(), i.hostPort(), failed.hostPort());
                    return Optional.of(i);
                }
            } catch (RuntimeException e) {
                LOG.info("{} cannot take over from {}: {}", i.hostPort(), failed.hostPort(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    private void forget(Cluster cluster, Instance failed, TaskContext context) {
        for (Instance i : survivors(cluster, failed)) {
            context.ensureHeld();
            try {
                redis.on(i.address(), i.port(), cluster.password(), r -> {
                    if (failed.redisId() != null && Topology.parse(r.clusterNodes()).node(failed.redisId()) != null) {
                        r.clusterForget(failed.redisId());
                    }
                    return null;
                });
            } catch (RuntimeException e) {
                // a replica of the dead master (no failover) cannot forget it; the replacement takes its slots
                LOG.info("{} keeps {} in its table: {}", i.hostPort(), failed.hostPort(), e.getMessage());
            }
        }
        context.ensureHeld();
        try {
            SchedulerErrors.body(scheduler.remove(cluster.tenant(), failed.containerId()));
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() != 404) {
                throw e;
            }
        }
        context.progress(failed.hostPort() + " forgotten and its container removed (or fenced until its node "
                + "answers)");
    }

    private List<Instance> survivors(Cluster cluster, Instance failed) {
        return instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(i -> !i.id().equals(failed.id()) && i.state() == InstanceState.ACTIVE).toList();
    }

    /**
     * A replacement in the failed instance's shard: a replica if the shard still has a master, else a master (see
     * {@link Replacement}), with the volume key {@link #replacementKey} chooses. A container of the shard that an
     * earlier run deployed but could not record is taken as the replacement rather than deploying another.
     */
    private void replace(Cluster cluster, Instance failed, TaskContext context) {
        if (instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .anyMatch(i -> i.state() == InstanceState.JOINING && i.shard() == failed.shard())) {
            return;
        }
        syncRoles(cluster);
        Replacement replacement = Replacement.of(failed.member(),
                Members.of(instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id())));
        Role role = replacement instanceof Replacement.Replica ? Role.REPLICA : Role.MASTER;
        String group = Naming.shardGroup(cluster.id(), failed.shard());
        Optional<Schema.Container> earlier = ShardVolumes.keyed(cluster) ? volumes.unrecorded(cluster, failed.shard())
                : Optional.empty();
        Schema.Container c = earlier.isPresent() ? earlier.get() : deployReplacement(cluster, failed, new Schema.Deploy(
                1, null, List.of(group), role.id(), null,
                ShardVolumes.keyed(cluster) ? List.of(replacementKey(cluster, failed, context)) : null));
        Schema.Container ready = awaitReady(cluster, c, "the replacement", context);
        instances.save(ShardVolumes.instance(cluster, ready, failed.shard(), role, InstanceState.JOINING,
                clock.instant()));
        context.progress("replacement " + ready.host() + " on " + ready.node() + " joins shard " + failed.shard()
                + " as " + role.id() + (ready.volumeKey() == null ? "" : " with volume key " + ready.volumeKey()));
    }

    /**
     * Deploys the replacement of {@code failed}. No room for it (its shard's other nodes, or too many nodes, down or
     * full) is no reason to give the shard up: the step is retried until a node comes back or makes room.
     */
    private Schema.Container deployReplacement(Cluster cluster, Instance failed, Schema.Deploy deploy) {
        try {
            return SchedulerErrors.body(scheduler.deploy(cluster.tenant(), cluster.app(), deploy)).get(0);
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 422) {
                throw new CtlException(CtlError.UNAVAILABLE, "no node can take the replacement of "
                        + failed.hostPort() + " (shard " + failed.shard() + ") yet: " + SchedulerErrors.message(e)
                        + "; retried until a node comes back or has room", e);
            }
            throw e;
        }
    }

    /**
     * The volume key of a failed instance's replacement. A failed instance's data lives on in its shard's master, so
     * its replacement takes its key, starting empty: the key's volumes are removed first (their data is obsolete, and
     * their {@code nodes.conf} carries the forgotten identity, which must never come back). A volume whose node does
     * not answer is removed once it does, and never mounted meanwhile. While the failed container's own removal waits
     * for its node, its volume cannot go: the replacement takes the shard's lowest position that has neither a live
     * container nor a volume. So does the replacement of an abandoned instance, whose data an operator gave up
     * serving but which nothing destroys: its volume stays (listed by the scheduler) until the cluster is deleted.
     * Run again, this decides the same: a removed volume is gone, and a position taken is no longer unused.
     */
    private String replacementKey(Cluster cluster, Instance failed, TaskContext context) {
        if (failed.state() == InstanceState.FAILED && failed.volumeKey() != null) {
            ShardVolumes.Removal removal = volumes.remove(cluster, failed.volumeKey());
            if (removal != ShardVolumes.Removal.MOUNTED) {
                context.progress("the volume of " + failed.hostPort() + " (key " + failed.volumeKey() + ") "
                        + (removal == ShardVolumes.Removal.REMOVED ? "is removed" : "is removed once its node answers")
                        + ": its replacement takes the key, empty");
                return failed.volumeKey();
            }
            String key = volumes.unused(cluster, failed.shard());
            context.progress("the container of " + failed.hostPort() + " still mounts key " + failed.volumeKey()
                    + " (its removal waits for its node): the replacement takes key " + key);
            return key;
        }
        String key = volumes.unused(cluster, failed.shard());
        if (failed.volumeKey() != null) {
            context.progress("the volume of abandoned " + failed.hostPort() + " (key " + failed.volumeKey()
                    + ") is kept; the replacement takes key " + key);
        }
        return key;
    }

    /** Until the container runs and passed its probe; its disappearance is an error. */
    private Schema.Container awaitReady(Cluster cluster, Schema.Container c, String what, TaskContext context) {
        return Waits.until(context, config.readyTimeout(), what + " to be ready", () -> {
            Schema.Container now = scheduler.container(cluster.tenant(), c.id());
            if (now == null || !now.live()) {
                throw new CtlException(CtlError.UNAVAILABLE, what + " container " + c.name() + " is gone");
            }
            return now.running() && now.ready() ? now : null;
        });
    }

    /**
     * The DB's roles as the active members report their own (a replica promoted by failover is its shard's master). Not
     * as one member sees the others: its view lags behind a promotion or a newcomer's REPLICATE elsewhere, and would
     * book a replica as the master it was a moment ago. A member that does not answer keeps its booking.
     */
    private void syncRoles(Cluster cluster) {
        List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
        List<Topology.Node> selves = new ArrayList<>();
        for (Instance i : all) {
            if (i.state() != InstanceState.ACTIVE) {
                continue;
            }
            try {
                selves.add(redis.on(i.address(), i.port(), cluster.password(),
                        r -> RedisAdmin.topology(r, i.address()).myself()));
            } catch (RuntimeException e) {
                LOG.info("cluster {}/{}: {} does not answer, so it stays booked as {}: {}", cluster.tenant(),
                        cluster.name(), i.hostPort(), i.role().id(), e.getMessage());
            }
        }
        for (Member changed : Roles.changed(Members.of(all), selves)) {
            Instance i = Members.instance(all, changed);
            instances.update(i.as(changed.master() ? Role.MASTER : Role.REPLICA, i.shard()));
        }
    }

    /**
     * Promotes replicas (graceful manual failovers: nothing is lost) until no node holds more masters than it
     * must, so that the next lost node cannot take the majority of masters with it. Best effort: a failover
     * that does not complete leaves the layout as it is.
     */
    private void spreadMasters(Cluster cluster, TaskContext context) {
        // each move takes a master off the fullest node: there are at most as many moves as instances
        for (int moves = 0; ; moves++) {
            context.ensureHeld();
            syncRoles(cluster);
            List<Instance> members = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                    .filter(i -> i.state() == InstanceState.ACTIVE).toList();
            if (moves > members.size()) {
                return;
            }
            Optional<MasterSpread.Promotion> next = MasterSpread.next(Members.of(members));
            if (next.isEmpty()) {
                return;
            }
            MasterSpread.Promotion promotion = next.get();
            Instance replica = Members.instance(members, promotion.replica());
            try {
                promote(cluster, members, replica, Members.instance(members, promotion.master()), context);
            } catch (TaskContext.LeaseLost e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.warn("cluster {}/{}: masters stay where they are: {}", cluster.tenant(), cluster.name(),
                        e.getMessage());
                return;
            }
            String moved = replica.hostPort() + " on " + replica.node() + " is shard " + replica.shard()
                    + "'s master now, so that masters spread over the nodes (" + promotion.master().node() + " held "
                    + promotion.mastersOnFrom() + ", " + replica.node() + " " + promotion.mastersOnTo() + ")";
            LOG.info("cluster {}/{}: {}", cluster.tenant(), cluster.name(), moved);
            context.progress(moved);
        }
    }

    /**
     * A graceful manual failover of {@code master} to {@code replica}, once the replica is in sync and every member
     * knows it as the master's replica, until both ends took their new roles. Redis drops a manual failover silently
     * (after 5 s) when the master does not yet count the replica as its own, or too few masters vote because they
     * still see a newcomer as the master every new node starts as: right after a replacement was attached, gossip may
     * not have told everyone yet.
     */
    private void promote(Cluster cluster, List<Instance> members, Instance replica, Instance master,
            TaskContext context) {
        Waits.until(context, config.convergeTimeout(), replica.hostPort() + " in sync with its master", () ->
                redis.on(replica.address(), replica.port(), cluster.password(), r ->
                        "up".equals(RedisInfo.fields(r.info("replication")).get("master_link_status"))
                                ? Boolean.TRUE : null));
        Waits.until(context, config.convergeTimeout(), "every member to know " + replica.hostPort() + " as "
                + master.hostPort() + "'s replica", () -> {
                    for (Instance i : members) {
                        Topology.Node seen = redis.on(i.address(), i.port(), cluster.password(),
                                r -> RedisAdmin.topology(r).node(replica.redisId()));
                        if (seen == null || seen.master() || !master.redisId().equals(seen.masterId())) {
                            return null;
                        }
                    }
                    return Boolean.TRUE;
                });
        context.ensureHeld();
        redis.on(replica.address(), replica.port(), cluster.password(), r -> r.clusterFailover(false));
        // both ends: the old master learns of the promotion a moment after the replica, and until it follows the new
        // master it still reports itself the shard's master
        Waits.until(context, config.failoverTimeout(), "the promotion of " + replica.hostPort() + ", and "
                + master.hostPort() + " following it", () -> redis.on(replica.address(), replica.port(),
                        cluster.password(), r -> RedisAdmin.topology(r).myself().master())
                && replica.redisId().equals(redis.on(master.address(), master.port(), cluster.password(),
                        r -> RedisAdmin.topology(r).myself().masterId())) ? Boolean.TRUE : null);
    }

    private void restore(Cluster cluster, Instance failed, TaskContext context) {
        Optional<Instance> replacement = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(i -> i.state() == InstanceState.JOINING && i.shard() == failed.shard()).findFirst();
        if (replacement.isEmpty()) {
            return;
        }
        Instance r = replacement.get();
        Topology view = balancer.view(cluster);
        if (r.role() == Role.REPLICA) {
            List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id());
            if (!(Replacement.of(failed.member(), Members.of(all)) instanceof Replacement.Replica replica)) {
                throw new IllegalStateException("shard " + failed.shard() + " lost its master");
            }
            Instance master = Members.instance(all, replica.master());
            redis.on(r.address(), r.port(), cluster.password(), c -> {
                if (!master.redisId().equals(Topology.parse(c.clusterNodes()).myself().masterId())) {
                    c.clusterReplicate(master.redisId());
                }
                return null;
            });
            context.progress("replacement " + r.address() + " follows " + master.address());
            return;
        }
        // the shard had no replica: its slots are unowned (or still the dead master's); they start over, empty
        List<Integer> lost = SlotPlan.lost(view.owners(), failed.redisId());
        List<Range<Integer>> ranges = SlotPlan.runs(lost).stream().map(run -> Range.create(run[0], run[1])).toList();
        if (!ranges.isEmpty()) {
            for (Instance s : survivors(cluster, failed)) {
                // survivors that still hold the dead master's claims let go of them
                context.ensureHeld();
                try {
                    redis.on(s.address(), s.port(), cluster.password(), c -> c.clusterForget(failed.redisId()));
                } catch (RuntimeException ignored) {
                    // already forgotten
                }
            }
            @SuppressWarnings("unchecked")
            Range<Integer>[] array = ranges.toArray(Range[]::new);
            context.ensureHeld();
            redis.on(r.address(), r.port(), cluster.password(), c -> c.clusterAddSlotsRange(array));
        }
        context.progress("INCIDENT: replacement " + r.address() + " serves the " + lost.size()
                + " slots of shard " + failed.shard() + " again, empty: their data was lost with " + failed.hostPort());
    }
}

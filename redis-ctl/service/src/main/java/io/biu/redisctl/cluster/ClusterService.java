package io.biu.redisctl.cluster;

import io.biu.kit.secret.TlsIdentity;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterSpec;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Member;
import io.biu.redisctl.client.Naming;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.store.TenantLock;
import io.biu.redisctl.store.TenantLockRepository;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskRepository;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Cluster requests: validated, registered with the scheduler as an app, and handed to a task. */
@Singleton
public class ClusterService {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);

    /** Label on the scheduler apps redis-ctl registers, so that its own can be told from others. */
    public static final String OWNER_LABEL = "redis-ctl.cluster";
    /** How long a cluster's bus identity is valid for; a cluster outliving it needs a new one. */
    static final Duration BUS_IDENTITY_TERM = Duration.ofDays(3650);

    private final ClusterRepository clusters;
    private final InstanceRepository instances;
    private final TaskRepository tasks;
    private final TenantLockRepository tenantLocks;
    private final SchedulerClient scheduler;
    private final ShardVolumes volumes;
    private final RedisCtlConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    ClusterService(ClusterRepository clusters, InstanceRepository instances, TaskRepository tasks,
            TenantLockRepository tenantLocks, SchedulerClient scheduler, ShardVolumes volumes, RedisCtlConfig config,
            Clock clock) {
        this.tenantLocks = tenantLocks;
        this.volumes = volumes;
        this.clusters = clusters;
        this.instances = instances;
        this.tasks = tasks;
        this.scheduler = scheduler;
        this.config = config;
        this.clock = clock;
    }

    public record Created(Cluster cluster, Task task) {
    }

    /**
     * Registers the cluster's app with the scheduler (which checks the pod, the tenant's grant and the
     * resources right away) and records the cluster with its formation task.
     */
    public Created create(Caller caller, ClusterSpec spec) {
        String tenant = caller.actingTenant();
        ValidSpec valid = ValidSpec.of(spec);
        if (clusters.findByTenantAndName(tenant, valid.name()).isPresent()) {
            throw new CtlException(CtlError.CONFLICT, "tenant '" + tenant + "' already has a cluster named '"
                    + valid.name() + "': pick another name or delete that one first");
        }
        Integer clusterLimit = checkQuota(tenant, valid);
        if (clusterLimit != null) {
            ensureLockRow(tenant);
        }
        Instant now = clock.instant();
        Cluster cluster = new Cluster(null, tenant, valid.name(), valid.pod(), Naming.app(valid.name()),
                valid.masters(), valid.replicas(), valid.cpu(), valid.memory(), RedisConf.maxmemory(valid.memory()),
                valid.persistence(), valid.eviction(), newPassword(),
                TlsIdentity.selfSigned("biu cluster " + tenant + "/" + valid.name(), now, BUS_IDENTITY_TERM).pem(),
                ClusterState.CREATING, now, now);
        registerApp(cluster, valid.memoryText());
        try {
            return record(cluster, clusterLimit);
        } catch (RuntimeException e) {
            if (clusters.findByTenantAndName(tenant, valid.name()).isPresent()) {
                // a concurrent request for the same name won: the app registered is its own
                throw new CtlException(CtlError.CONFLICT, "tenant '" + tenant + "' already has a cluster named '"
                        + valid.name() + "'", e);
            }
            // nothing recorded it: the app registered is empty and this request's to delete
            try {
                scheduler.deleteApp(tenant, cluster.app());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            if (e instanceof CtlException refused) {
                throw refused;
            }
            throw new CtlException(CtlError.UNAVAILABLE, "cluster '" + valid.name() + "' could not be recorded: "
                    + e.getMessage() + "; send the request again", e);
        }
    }

    /**
     * Refuses a cluster the tenant's quota has no room for: one cluster too many, or instances over its cores,
     * memory or containers. The scheduler checks the instances again when it reserves them; this says so before
     * anything is made, in numbers.
     */
    private @Nullable Integer checkQuota(String tenant, ValidSpec valid) {
        Schema.Quota quota;
        try {
            quota = scheduler.quota(tenant, tenant);
        } catch (HttpClientResponseException e) {
            throw fromScheduler(e, "cannot read tenant '" + tenant + "''s quota");
        } catch (HttpClientException e) {
            throw new CtlException(CtlError.UNAVAILABLE, "the scheduler did not answer: " + e.getMessage(), e);
        }
        if (quota == null) {
            return null; // a scheduler without quotas
        }
        int held = clusters.findByTenantOrderById(tenant).size();
        if (quota.clusters() != null && held + 1 > quota.clusters()) {
            throw tooManyClusters(tenant, quota.clusters(), held);
        }
        int instances = valid.masters() * (1 + valid.replicas());
        List<String> over = quota.over(instances, valid.cpu(), valid.memory());
        if (!over.isEmpty()) {
            throw new CtlException(CtlError.QUOTA_EXCEEDED, "quota: cluster '" + valid.name() + "' needs " + instances
                    + " instances of " + valid.cpu().stripTrailingZeros().toPlainString() + " cores and "
                    + valid.memoryText() + "; tenant '" + tenant + "' may have " + String.join("; ", over)
                    + ": make it smaller, or ask an operator to raise the quota (biu quota set " + tenant + ")");
        }
        return quota.clusters();
    }

    private static CtlException tooManyClusters(String tenant, int limit, int held) {
        return new CtlException(CtlError.QUOTA_EXCEEDED, "quota: tenant '" + tenant + "' may have " + limit
                + " cluster" + (limit == 1 ? "" : "s") + " and has " + held
                + ": delete one, or ask an operator to raise the quota (biu quota set " + tenant + " --clusters N)");
    }

    /** Makes the tenant's lock row if it has none; a concurrent create making it too is as good. */
    private void ensureLockRow(String tenant) {
        if (!tenantLocks.existsById(tenant)) {
            try {
                tenantLocks.save(new TenantLock(tenant));
            } catch (RuntimeException e) {
                if (!tenantLocks.existsById(tenant)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Records the cluster and its formation task. With a clusters limit, the tenant's clusters are counted again
     * under its lock row, so concurrent creates pass the limit one at a time.
     */
    @Transactional
    Created record(Cluster cluster, @Nullable Integer clusterLimit) {
        if (clusterLimit != null) {
            tenantLocks.findByTenantForUpdate(cluster.tenant());
            if (clusters.findByTenantAndName(cluster.tenant(), cluster.name()).isPresent()) {
                throw new CtlException(CtlError.CONFLICT, "tenant '" + cluster.tenant() + "' already has a cluster "
                        + "named '" + cluster.name() + "'");
            }
            int held = clusters.findByTenantOrderById(cluster.tenant()).size();
            if (held + 1 > clusterLimit) {
                throw tooManyClusters(cluster.tenant(), clusterLimit, held);
            }
        }
        Cluster saved = clusters.save(cluster);
        Task task = tasks.save(Task.pending(saved.id(), saved.tenant(), TaskKind.FORM, clock.instant()));
        return new Created(saved, task);
    }

    private void registerApp(Cluster cluster, String memoryText) {
        // an unknown pod is left for the scheduler to refuse, in its words
        Schema.Pod pod = scheduler.pod(cluster.tenant(), cluster.pod());
        Schema.AppSpec app = new Schema.AppSpec(cluster.app(), cluster.pod(), config.image(),
                RedisConf.command(cluster, pod != null && pod.hostNetwork()), null, cluster.cpu(), memoryText, null,
                null, Map.of(OWNER_LABEL, cluster.name()), new Schema.Probe(RedisConf.PORT, null, 1),
                RedisConf.files(cluster, config.nodeTimeout()),
                cluster.persistence().keepsData() ? RedisConf.DATA_DIR : null,
                RedisConf.hostPorts(cluster), 5, Schema.Security.locked(RedisConf.USER, RedisConf.DATA_DIR));
        try {
            SchedulerErrors.body(scheduler.createApp(cluster.tenant(), app));
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 409 && adoptLeftover(cluster)) {
                SchedulerErrors.body(scheduler.createApp(cluster.tenant(), app));
                return;
            }
            throw fromScheduler(e, "cannot register the cluster's instances with the scheduler");
        } catch (HttpClientException e) {
            throw new CtlException(CtlError.UNAVAILABLE, "the scheduler did not answer: " + e.getMessage(), e);
        }
    }

    /**
     * An app of this name left by a request that died before recording its cluster is removed, so the name can
     * be used; any other app of that name is someone else's.
     */
    private boolean adoptLeftover(Cluster cluster) {
        Schema.App existing = scheduler.app(cluster.tenant(), cluster.app());
        if (existing == null || !cluster.name().equals(existing.labels().get(OWNER_LABEL))
                || clusters.findByTenantAndName(cluster.tenant(), cluster.name()).isPresent()) {
            return false;
        }
        List<Schema.Container> containers = scheduler.containers(cluster.tenant(), cluster.app());
        if (containers != null && !containers.isEmpty()) {
            return false;
        }
        scheduler.deleteApp(cluster.tenant(), cluster.app());
        return true;
    }

    /** The scheduler's refusal, as redis-ctl's own error with the scheduler's reason. */
    public static CtlException fromScheduler(HttpClientResponseException e, String what) {
        CtlError error = switch (e.getStatus().getCode()) {
            case 400 -> CtlError.INVALID;
            case 401, 403 -> CtlError.FORBIDDEN;
            case 404 -> CtlError.NOT_FOUND;
            case 409 -> CtlError.CONFLICT;
            case 422 -> "QUOTA_EXCEEDED".equals(SchedulerErrors.code(e)) ? CtlError.QUOTA_EXCEEDED
                    : CtlError.NO_CAPACITY;
            default -> CtlError.UNAVAILABLE;
        };
        return new CtlException(error, what + ": " + SchedulerErrors.message(e), e);
    }

    /** The caller's tenant's clusters; every tenant's for a service that named none. Ordered by id. */
    public List<Cluster> list(Caller caller) {
        return caller.actsForAllTenants() ? clusters.findAllOrderById()
                : clusters.findByTenantOrderById(caller.actingTenant());
    }

    /** The caller's cluster; another tenant's is reported as absent. */
    public Cluster get(Caller caller, long id) {
        String tenant = caller.actingTenant();
        return clusters.findById(id).filter(c -> c.tenant().equals(tenant))
                .orElseThrow(() -> new CtlException(CtlError.NOT_FOUND, "no cluster " + id));
    }

    /** Starts the cluster's deletion: refused while another task runs on it. */
    @Transactional
    public Task delete(Caller caller, long id) {
        Cluster cluster = clusters.findByIdForUpdate(get(caller, id).id()).orElseThrow();
        if (cluster.state() == ClusterState.DELETING) {
            return tasks.findOpen(id).stream().findFirst().orElseThrow(() -> new CtlException(CtlError.CONFLICT,
                    "cluster " + id + " is being deleted"));
        }
        busyCheck(cluster);
        clusters.update(cluster.withState(ClusterState.DELETING, clock.instant()));
        return tasks.save(Task.pending(id, cluster.tenant(), TaskKind.DELETE, clock.instant()));
    }

    /**
     * Resumes a failed cluster: its last task, which failed, is opened again from the step it failed at, with no
     * attempt counted, and the cluster is back in the state that task works in. Refused unless the cluster failed and
     * has no open task.
     */
    @Transactional
    public Task resume(Caller caller, long id) {
        Cluster cluster = clusters.findByIdForUpdate(get(caller, id).id()).orElseThrow();
        if (cluster.state() != ClusterState.FAILED) {
            throw new CtlException(CtlError.CONFLICT, "cluster " + id + " is " + cluster.state().id()
                    + ", not failed: only a failed cluster is resumed");
        }
        busyCheck(cluster);
        Task last = tasks.findByClusterIdOrderByIdDesc(id).stream().findFirst().orElseThrow(() -> new CtlException(
                CtlError.CONFLICT, "cluster " + id + " has no task to resume"));
        if (last.state() != TaskState.FAILED) {
            throw new CtlException(CtlError.CONFLICT, "cluster " + id + "'s last task " + last.id() + " ("
                    + last.kind().id() + ") is " + last.state().id() + ", not failed: there is nothing to resume");
        }
        Instant now = clock.instant();
        clusters.update(cluster.withState(workingState(last.kind()), now));
        return tasks.update(last.resumed(now));
    }

    /** The state a cluster is in while a task of {@code kind} runs on it. */
    static ClusterState workingState(TaskKind kind) {
        return switch (kind) {
            case FORM -> ClusterState.CREATING;
            case DELETE -> ClusterState.DELETING;
            case JOIN, REBALANCE, DRAIN, HEAL, BACKUP, RESTORE, IMPORT -> ClusterState.READY;
        };
    }

    /** At most one task per cluster; call with the cluster's row locked. */
    private void busyCheck(Cluster cluster) {
        List<Task> open = tasks.findOpen(cluster.id());
        if (!open.isEmpty()) {
            Task t = open.get(0);
            throw new CtlException(CtlError.BUSY, "cluster " + cluster.id() + " is busy with task " + t.id() + " ("
                    + t.kind().id() + "): wait for it to finish");
        }
    }

    /**
     * Records ready containers of the cluster's app as joining instances and starts the task that makes them
     * members: new masters get slots moved to them, replicas attach where needed.
     */
    @Transactional
    public Task join(Caller caller, long id, List<Member> members) {
        return join(lockedForTask(caller, id), members);
    }

    /**
     * The adoption reconciler's join: the same, for a cluster it found ready and idle, or nothing if that
     * changed meanwhile (a caller started a task first).
     */
    @Transactional
    public Optional<Task> adopt(long clusterId, List<Member> members) {
        Cluster cluster = clusters.findByIdForUpdate(clusterId).orElse(null);
        if (cluster == null || cluster.state() != ClusterState.READY || !tasks.findOpen(clusterId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(join(cluster, members));
    }

    /** A healing task for a failed instance of a cluster found ready and idle; nothing if that changed. */
    @Transactional
    public Optional<Task> heal(long clusterId, long instanceId) {
        Cluster cluster = clusters.findByIdForUpdate(clusterId).orElse(null);
        if (cluster == null || cluster.state() != ClusterState.READY || !tasks.findOpen(clusterId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(tasks.save(Task.pending(clusterId, cluster.tenant(), TaskKind.HEAL, instanceId,
                clock.instant())));
    }

    /**
     * An operator's decision to give up a shard whose every member failed: its members are abandoned, and healing
     * serves its slots again, empty (an incident: what they held is lost). Refused while any member of the shard is
     * active (it holds the data), and to anyone but an operator.
     *
     * @return the healing task, if it could start now (the cluster ready and idle); otherwise healing starts it once
     *         the cluster is
     */
    @Transactional
    public Optional<Task> serveEmpty(Caller caller, long id, int shard, BiPredicate<Cluster, Instance> answers) {
        if (caller.kind() != TokenKind.OPERATOR) {
            throw new CtlException(CtlError.FORBIDDEN, "serving a shard again, empty, gives up its data: an operator "
                    + "decides that, with an operator token acting for the cluster's tenant");
        }
        Cluster cluster = clusters.findByIdForUpdate(get(caller, id).id()).orElseThrow();
        List<Instance> members = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(i -> i.shard() == shard).toList();
        if (members.isEmpty()) {
            throw new CtlException(CtlError.NOT_FOUND, "cluster " + cluster.name() + " has no shard " + shard);
        }
        Optional<Instance> holding = members.stream().filter(i -> i.state() == InstanceState.ACTIVE
                || i.state() == InstanceState.DRAINING || i.state() == InstanceState.JOINING).findFirst();
        if (holding.isPresent()) {
            throw new CtlException(CtlError.CONFLICT, "shard " + shard + " of cluster " + cluster.name() + " still has "
                    + "a member (" + holding.get().hostPort() + ", " + holding.get().state().id() + "): its data is not "
                    + "lost, nothing to give up");
        }
        List<Instance> given = members.stream().filter(i -> i.state() == InstanceState.SUSPECT
                || i.state() == InstanceState.FAILED).toList();
        if (given.isEmpty()) {
            throw new CtlException(CtlError.CONFLICT, "shard " + shard + " of cluster " + cluster.name() + " has "
                    + "nothing to give up: its healing is already under way");
        }
        for (Instance i : given) {
            if (answers.test(cluster, i)) {
                throw new CtlException(CtlError.CONFLICT, "shard " + shard + " of cluster " + cluster.name() + ": "
                        + i.hostPort() + " answers again, so its data is not lost: nothing to give up");
            }
        }
        given.forEach(i -> instances.update(i.with(InstanceState.ABANDONED)));
        LOG.warn("INCIDENT: cluster {}/{}: operator {} gave up shard {} ({}): its slots are served again, empty",
                cluster.tenant(), cluster.name(), caller.name(), shard,
                given.stream().map(Instance::hostPort).toList());
        Instance first = given.stream().min(Comparator.comparing(Instance::role)).orElseThrow();
        return heal(cluster.id(), first.id());
    }

    private Task join(Cluster cluster, List<Member> members) {
        if (members == null || members.isEmpty()) {
            throw CtlException.invalid("members is empty: list the containers to join, each with a role");
        }
        Set<Integer> shards = new HashSet<>();
        instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).forEach(i -> shards.add(i.shard()));
        Instant now = clock.instant();
        Set<Long> seen = new HashSet<>();
        for (Member m : members) {
            if (m.container() == null) {
                throw CtlException.invalid("a member has no container: give the scheduler's container id");
            }
            if (!Role.MASTER.id().equals(m.role()) && !Role.REPLICA.id().equals(m.role())) {
                throw CtlException.invalid("role of container %d must be master or replica, not '%s'", m.container(),
                        m.role());
            }
            if (!seen.add(m.container()) || instances.findByContainerId(m.container()).isPresent()) {
                throw new CtlException(CtlError.CONFLICT, "container " + m.container() + " is already a member");
            }
            Schema.Container c = scheduler.container(cluster.tenant(), m.container());
            if (c == null || !c.app().equals(cluster.app())) {
                throw new CtlException(CtlError.NOT_FOUND, "container " + m.container() + " is not one of cluster "
                        + cluster.name() + "'s (app " + cluster.app() + ")");
            }
            if (!c.running() || !c.ready() || c.host() == null) {
                throw new CtlException(CtlError.CONFLICT, "container " + m.container() + " is " + c.state().id()
                        + (c.ready() ? "" : " and not ready") + ": join it once it runs and passed its probe");
            }
            boolean master = Role.MASTER.id().equals(m.role());
            int shard = master ? newShard(cluster, c, shards) : -1;
            instances.save(ShardVolumes.instance(cluster, c, shard, master ? Role.MASTER : Role.REPLICA,
                    InstanceState.JOINING, now));
        }
        return tasks.save(Task.pending(cluster.id(), cluster.tenant(), TaskKind.JOIN, now));
    }

    /**
     * The shard a joining master makes: the one its anti-affinity group names (as {@link
     * io.biu.redisctl.client.ShardDeployment} deploys it, with its shard's volume keys), unless that one is taken or
     * it names none; then one past the highest. Taken here. A master whose volume key belongs to a shard the cluster
     * has is refused: booked elsewhere, its data would sit under another shard's key, which that shard's healing may
     * remove.
     */
    private static int newShard(Cluster cluster, Schema.Container c, Set<Integer> taken) {
        int grouped = Naming.shardOf(cluster.id(), c.group());
        int keyed = Naming.volumeShard(c.volumeKey());
        if (keyed >= 0 && taken.contains(keyed)) {
            throw new CtlException(CtlError.CONFLICT, "container " + c.id() + " has the volume of shard " + keyed
                    + ", which cluster " + cluster.name() + " already has: remove it and scale out again");
        }
        int shard = grouped >= 0 && !taken.contains(grouped) ? grouped
                : taken.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        taken.add(shard);
        return shard;
    }

    @Transactional
    public Task rebalance(Caller caller, long id) {
        Cluster cluster = lockedForTask(caller, id);
        return tasks.save(Task.pending(cluster.id(), cluster.tenant(), TaskKind.REBALANCE, clock.instant()));
    }

    /**
     * Starts emptying an active master: its slots go to the others, its replicas follow others as far as they need
     * them and are retired with it otherwise; then it (and any retired replica) is removable.
     */
    @Transactional
    public Task drain(Caller caller, long id, long instanceId) {
        Cluster cluster = lockedForTask(caller, id);
        Instance i = instance(cluster, instanceId);
        if (i.state() != InstanceState.ACTIVE || i.role() != Role.MASTER) {
            throw new CtlException(CtlError.CONFLICT, "instance " + instanceId + " is a " + i.state().name()
                    .toLowerCase() + " " + i.role().name().toLowerCase() + ": only an active master is drained");
        }
        long masters = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(o -> o.role() == Role.MASTER && o.state() == InstanceState.ACTIVE).count();
        if (masters < 2) {
            throw new CtlException(CtlError.CONFLICT, "instance " + instanceId + " is the cluster's last master");
        }
        instances.update(i.with(InstanceState.DRAINING));
        return tasks.save(Task.pending(cluster.id(), cluster.tenant(), TaskKind.DRAIN, i.id(), clock.instant()));
    }

    /**
     * Removes a removable instance (a drained master, or a replica retired with it): its container, its record, and its
     * shard position's volume, whose data left with the drain (and whose {@code nodes.conf} holds an identity every
     * member forgot). A volume whose container's removal waits for its node is left: it goes with the cluster.
     */
    public void removeInstance(Caller caller, long id, long instanceId) {
        Cluster cluster = get(caller, id);
        Instance i = instance(cluster, instanceId);
        if (i.state() != InstanceState.REMOVABLE) {
            throw new CtlException(CtlError.CONFLICT, "instance " + instanceId + " is " + i.state().name()
                    .toLowerCase() + (i.state() == InstanceState.DRAINING ? ": remove it once its drain task is done"
                    : ": only a drained master, and a replica retired with it, is removed: drain the master first"));
        }
        try {
            SchedulerErrors.body(scheduler.remove(cluster.tenant(), i.containerId()));
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() != 404) {
                throw fromScheduler(e, "cannot remove container " + i.containerId());
            }
        }
        if (i.volumeKey() != null && volumes.remove(cluster, i.volumeKey()) == ShardVolumes.Removal.MOUNTED) {
            LOG.warn("cluster {}/{}: the volume of removed instance {} (key {}) stays until its container's removal is "
                    + "confirmed; it goes with the cluster", cluster.tenant(), cluster.name(), i.hostPort(),
                    i.volumeKey());
        }
        instances.delete(i);
    }

    private Instance instance(Cluster cluster, long instanceId) {
        return instances.findById(instanceId).filter(i -> i.clusterId() == cluster.id())
                .orElseThrow(() -> new CtlException(CtlError.NOT_FOUND, "cluster " + cluster.id() + " has no instance "
                        + instanceId));
    }

    /** The caller's cluster, row-locked, ready and without a running task; call inside a transaction. */
    public Cluster lockedForTask(Caller caller, long id) {
        Cluster cluster = clusters.findByIdForUpdate(get(caller, id).id()).orElseThrow();
        busyCheck(cluster);
        if (cluster.state() != ClusterState.READY) {
            throw new CtlException(CtlError.CONFLICT, "cluster " + id + " is " + cluster.state().name().toLowerCase()
                    + ": it takes this only when ready");
        }
        return cluster;
    }

    public Task task(Caller caller, long id) {
        String tenant = caller.actingTenant();
        return tasks.findById(id).filter(t -> t.tenant().equals(tenant))
                .orElseThrow(() -> new CtlException(CtlError.NOT_FOUND, "no task " + id));
    }

    public List<Task> tasksOf(Cluster cluster) {
        return tasks.findByClusterIdOrderByIdDesc(cluster.id());
    }

    private String newPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}

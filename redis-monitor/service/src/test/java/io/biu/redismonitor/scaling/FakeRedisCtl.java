package io.biu.redismonitor.scaling;

import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Connection;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.JoinRequest;
import io.biu.redisctl.client.Member;
import io.biu.redisctl.client.Naming;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.RedisCtlClient;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskView;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * redis-ctl with one cluster ({@code acme/shop}, id 7) whose instances run in {@link FakeScheduler}'s containers. Its
 * tasks run until a test finishes or fails them; a join makes the containers joining members, active once the task is
 * done; a drain retires the master and its shard's replicas, removable once the task is done. While {@code busy}, it
 * refuses joins and drains as redis-ctl refuses them while another task runs (409).
 */
final class FakeRedisCtl implements RedisCtlClient {

    static final long CLUSTER = 7;
    static final String APP = Naming.app("shop");
    private static final Instant CREATED = Instant.parse("2026-12-04T09:00:00Z");

    private final FakeScheduler scheduler;
    private final int replicas;
    private final List<InstanceView> instances = new ArrayList<>();
    private final Map<Long, TaskView> tasks = new LinkedHashMap<>();
    private long nextInstance = 1;
    private long nextTask = 1;
    /** Joins and drains answer 409 while set. */
    boolean busy;
    /** Every join accepted, in order. */
    final List<JoinRequest> joins = new ArrayList<>();
    /** Every instance a drain was asked for, in order. */
    final List<Long> drains = new ArrayList<>();
    /** Every instance removed, in order. */
    final List<Long> removed = new ArrayList<>();

    /** A ready cluster of {@code shards} masters with {@code replicas} replicas each, formed by its first task. */
    FakeRedisCtl(FakeScheduler scheduler, int shards, int replicas) {
        this.scheduler = scheduler;
        this.replicas = replicas;
        for (int s = 0; s < shards; s++) {
            String group = Naming.shardGroup(CLUSTER, s);
            member(scheduler.running(APP, Role.MASTER.id(), group), Role.MASTER, InstanceState.ACTIVE);
            for (int r = 0; r < replicas; r++) {
                member(scheduler.running(APP, Role.REPLICA.id(), group), Role.REPLICA, InstanceState.ACTIVE);
            }
        }
        task(TaskKind.FORM, TaskState.DONE);
    }

    /** The cluster as redis-ctl shows it now: its instances and its latest task. */
    ClusterView view() {
        TaskView latest = tasks.isEmpty() ? null : tasks.get(nextTask - 1);
        return new ClusterView(CLUSTER, "shop", "acme", "lab", ClusterState.READY, 3, replicas, "0.5", 1L << 30,
                900L << 20, Persistence.NONE, "noeviction", List.copyOf(instances), latest, null, CREATED, true);
    }

    /** The active master of a shard. */
    InstanceView master(int shard) {
        return instances.stream().filter(i -> i.shard() == shard && i.master()).findFirst().orElseThrow();
    }

    /** redis-ctl's adoption joins these containers on its own (a monitor deployed them and was gone). */
    long adopt(List<Long> containers) {
        containers.forEach(id -> member(id, Role.of(scheduler.container("acme", id).role()), InstanceState.JOINING));
        return task(TaskKind.JOIN, TaskState.RUNNING).id();
    }

    /** The task ends well: what it joined is active, what it drained is removable. */
    void finish(long id) {
        TaskView t = end(id, TaskState.DONE, null);
        InstanceState from = t.kind() == TaskKind.JOIN ? InstanceState.JOINING : InstanceState.DRAINING;
        InstanceState to = t.kind() == TaskKind.JOIN ? InstanceState.ACTIVE : InstanceState.REMOVABLE;
        instances.replaceAll(i -> i.state() == from ? with(i, to) : i);
    }

    /** The task fails with {@code error}. */
    void fail(long id, String error) {
        end(id, TaskState.FAILED, error);
    }

    /** Finishes every task still running. */
    void finishOpen() {
        tasks.values().stream().filter(TaskView::open).map(TaskView::id).toList().forEach(this::finish);
    }

    @Override
    public List<ClusterView> clusters() {
        return List.of(view());
    }

    @Override
    public ClusterView cluster(String tenant, long id) {
        return id == CLUSTER ? view() : null;
    }

    @Override
    public HttpResponse<TaskView> join(String tenant, long id, JoinRequest request) {
        refuseWhileBusy();
        joins.add(request);
        for (Member m : request.members()) {
            member(m.container(), Role.of(m.role()), InstanceState.JOINING);
        }
        return HttpResponse.accepted().body(task(TaskKind.JOIN, TaskState.RUNNING));
    }

    @Override
    public HttpResponse<TaskView> drain(String tenant, long id, long instance) {
        refuseWhileBusy();
        drains.add(instance);
        int shard = instances.stream().filter(i -> i.id() == instance).findFirst().orElseThrow().shard();
        instances.replaceAll(i -> i.shard() == shard ? with(i, InstanceState.DRAINING) : i);
        return HttpResponse.accepted().body(task(TaskKind.DRAIN, TaskState.RUNNING));
    }

    /** Scaling never resumes a failed cluster: that is the operator's call. */
    @Override
    public HttpResponse<TaskView> resume(String tenant, long id) {
        throw new UnsupportedOperationException("redis-monitor does not resume clusters");
    }

    @Override
    public HttpResponse<TaskView> serveEmpty(String tenant, long id, int shard) {
        throw new UnsupportedOperationException("redis-monitor never gives up a shard");
    }

    @Override
    public HttpResponse<Void> removeInstance(String tenant, long id, long instance) {
        instances.removeIf(i -> i.id() == instance);
        removed.add(instance);
        return HttpResponse.noContent();
    }

    @Override
    public TaskView task(String tenant, long id) {
        return tasks.get(id);
    }

    @Override
    public Connection connection(String tenant, long id) {
        throw new UnsupportedOperationException();
    }

    private void refuseWhileBusy() {
        if (busy) {
            throw new HttpClientResponseException("Conflict", HttpResponse.status(HttpStatus.CONFLICT).body(
                    new SchedulerErrors.Body("BUSY", "cluster shop has a task running (heal): try again when it is "
                            + "done")));
        }
    }

    private void member(long container, Role role, InstanceState state) {
        Schema.Container c = scheduler.container("acme", container);
        instances.add(new InstanceView(nextInstance++, state, role, c.address(), 6379, container, c.name(), c.node(),
                Naming.shardOf(CLUSTER, c.group()), state == InstanceState.ACTIVE ? "r" + container : null, null));
    }

    private TaskView task(TaskKind kind, TaskState state) {
        TaskView t = new TaskView(nextTask++, CLUSTER, kind, state, state.open() ? kind.stepIds().get(0) : null, 0,
                kind.steps().size(), state.open() ? "started" : "", null, 1, CREATED, null, List.of());
        tasks.put(t.id(), t);
        return t;
    }

    private TaskView end(long id, TaskState state, String error) {
        TaskView t = tasks.get(id);
        TaskView ended = new TaskView(t.id(), t.cluster(), t.kind(), state, null, t.steps(), t.steps(), "", error,
                t.attempts(), t.createdAt(), CREATED, List.of());
        tasks.put(id, ended);
        return ended;
    }

    private static InstanceView with(InstanceView i, InstanceState state) {
        return new InstanceView(i.id(), state, i.role(), i.address(), i.port(), i.containerId(), i.container(), i.node(),
                i.shard(), i.redisId(), i.slots());
    }
}

package io.biu.redisctl.cluster;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.client.TaskView;
import io.biu.redisctl.proxy.ProxyAdminClient;
import io.biu.redisctl.plan.SlotPlan;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.task.Task;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Clusters on request, and the tasks that work on them. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ClusterController {

    private final ClusterService clusters;
    private final InstanceRepository instances;
    private final Balancer balancer;
    private final ProxyAdminClient proxyAdmin;

    ClusterController(ClusterService clusters, InstanceRepository instances, Balancer balancer,
            ProxyAdminClient proxyAdmin) {
        this.clusters = clusters;
        this.instances = instances;
        this.balancer = balancer;
        this.proxyAdmin = proxyAdmin;
    }

    /** Where clients connect: the cluster's endpoint, as proxy-admin has it. */
    @Serdeable
    record EndpointView(long id, List<String> addresses, String state) {
    }

    /** The cluster's endpoint, if it has one and proxy-admin answers. */
    @Nullable
    private EndpointView endpoint(Cluster c) {
        try {
            return proxyAdmin.endpoints(c.tenant(), c.id()).stream().findFirst()
                    .map(e -> new EndpointView(e.id(), e.addresses(), e.state())).orElse(null);
        } catch (HttpClientException unavailable) {
            return null;
        }
    }

    @Serdeable
    record InstanceView(long id, String state, String role, String address, int port, long containerId, String container, String node,
            int shard, @Nullable String redisId, @Nullable List<String> slots) {
    }

    @Serdeable
    record ClusterView(long id, String name, String tenant, String pod, String state, int masters, int replicas,
            String cpu, long memory, long maxmemory, String persistence, String eviction,
            List<InstanceView> instances, @Nullable TaskView task, @Nullable EndpointView endpoint, Instant createdAt) {
    }

    /** The only response that carries the cluster's password. */
    @Serdeable
    record CreatedView(long id, long taskId, String password, ClusterView cluster) {
    }

    @Post("/clusters")
    HttpResponse<CreatedView> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body ClusterSpec spec) {
        ClusterService.Created created = clusters.create(caller, spec);
        return HttpResponse.accepted().body(new CreatedView(created.cluster().id(), created.task().id(),
                created.cluster().password(), view(created.cluster(), false)));
    }

    /** The tenant's clusters; a service that names no tenant gets every tenant's. */
    @Get("/clusters")
    List<ClusterView> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return clusters.list(caller).stream().map(c -> view(c, false)).toList();
    }

    @Get("/clusters/{id}")
    ClusterView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return view(clusters.get(caller, id), true);
    }

    /** How a service in front of the cluster (the proxy) reaches it: its instances and its password. */
    @Serdeable
    record ConnectionView(long id, String name, String pod, String state, List<String> seeds, String password) {
    }

    @Get("/clusters/{id}/connection")
    ConnectionView connection(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        if (!caller.isService()) {
            throw new CtlException(CtlError.FORBIDDEN, "a cluster's password is given to Biu's services only; "
                    + "its owner saw it when the cluster was created");
        }
        Cluster c = clusters.get(caller, id);
        List<String> seeds = instances.findByClusterIdOrderByShardAndRoleAndId(c.id()).stream()
                .filter(i -> i.state() == InstanceState.ACTIVE).map(Instance::hostPort).toList();
        return new ConnectionView(c.id(), c.name(), c.pod(), c.state().name().toLowerCase(), seeds, c.password());
    }

    @Delete("/clusters/{id}")
    HttpResponse<TaskView> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return HttpResponse.accepted().body(taskView(clusters.delete(caller, id)));
    }

    @Serdeable
    record JoinRequest(@Nullable List<ClusterService.Member> members) {
    }

    @Post("/clusters/{id}/members")
    HttpResponse<TaskView> join(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @Body JoinRequest request) {
        return HttpResponse.accepted().body(taskView(clusters.join(caller, id, request.members())));
    }

    @Post("/clusters/{id}/rebalance")
    HttpResponse<TaskView> rebalance(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return HttpResponse.accepted().body(taskView(clusters.rebalance(caller, id)));
    }

    @Post("/clusters/{id}/instances/{instance}/drain")
    HttpResponse<TaskView> drain(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @PathVariable long instance) {
        return HttpResponse.accepted().body(taskView(clusters.drain(caller, id, instance)));
    }

    @Delete("/clusters/{id}/instances/{instance}")
    HttpResponse<Void> removeInstance(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @PathVariable long instance) {
        clusters.removeInstance(caller, id, instance);
        return HttpResponse.noContent();
    }

    @Get("/tasks/{id}")
    TaskView task(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return taskView(clusters.task(caller, id));
    }

    private ClusterView view(Cluster c, boolean live) {
        List<Instance> members = instances.findByClusterIdOrderByShardAndRoleAndId(c.id());
        Topology topology = live && c.state() == ClusterState.READY ? topology(c) : null;
        List<InstanceView> views = new ArrayList<>();
        for (Instance i : members) {
            Topology.Node node = topology == null || i.redisId() == null ? null : topology.node(i.redisId());
            String role = node == null ? i.role().name().toLowerCase() : node.master() ? "master" : "replica";
            views.add(new InstanceView(i.id(), i.state().name().toLowerCase(), role, i.address(), i.port(), i.containerId(), i.container(), i.node(),
                    i.shard(), i.redisId(), node == null ? null : ranges(node.slots())));
        }
        Task task = clusters.tasksOf(c).stream().findFirst().orElse(null);
        return new ClusterView(c.id(), c.name(), c.tenant(), c.pod(), c.state().name().toLowerCase(), c.masters(),
                c.replicas(), c.cpu().toPlainString(), c.memory(), c.maxmemory(),
                c.persistence().name().toLowerCase(), c.eviction(), views, task == null ? null : taskView(task),
                live ? endpoint(c) : null, c.createdAt());
    }

    /** The cluster's current topology as the first member that answers sees it; null if none does. */
    @Nullable
    private Topology topology(Cluster c) {
        try {
            return balancer.view(c);
        } catch (RuntimeException unreachable) {
            return null;
        }
    }

    /** A task as the API shows it: its steps are named by its kind's step enum. */
    static TaskView taskView(Task t) {
        TaskStep step = t.currentStep();
        return new TaskView(t.id(), t.clusterId(), t.kind(), t.state(), step == null ? null : step.id(), t.step(),
                t.kind().steps().size(), t.progress(), t.error(), t.attempts(), t.createdAt(), t.finishedAt(),
                t.stepTimings());
    }

    /** Slots as "0-5460" ranges. */
    static List<String> ranges(List<Integer> slots) {
        return SlotPlan.runs(slots).stream().map(r -> r[0] == r[1] ? String.valueOf(r[0]) : r[0] + "-" + r[1])
                .toList();
    }
}

package io.biu.redisctl.cluster;

import io.biu.admin.client.ProxyAdminClient;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterEndpoint;
import io.biu.redisctl.client.ClusterSpec;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Connection;
import io.biu.redisctl.client.Created;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.JoinRequest;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.client.TaskView;
import io.biu.redisctl.plan.SlotPlan;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.Task;
import io.biu.scheduler.client.Scopes;
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
import java.util.ArrayList;
import java.util.List;

/** Clusters on request, and the tasks that work on them: the API of {@code io.biu.redisctl.client}. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class ClusterController {

    private final ClusterService clusters;
    private final InstanceRepository instances;
    private final Balancer balancer;
    private final ProxyAdminClient proxyAdmin;
    private final RedisCtlConfig config;
    private final Suspects suspects;

    ClusterController(ClusterService clusters, InstanceRepository instances, Balancer balancer,
            ProxyAdminClient proxyAdmin, RedisCtlConfig config, Suspects suspects) {
        this.clusters = clusters;
        this.instances = instances;
        this.balancer = balancer;
        this.proxyAdmin = proxyAdmin;
        this.config = config;
        this.suspects = suspects;
    }

    /** The cluster's endpoint, if it has one and proxy-admin answers. */
    @Nullable
    private ClusterEndpoint endpoint(Cluster c) {
        try {
            return proxyAdmin.endpoints(c.tenant(), c.id()).stream().findFirst()
                    .map(e -> new ClusterEndpoint(e.id(), e.addresses(), e.state().id())).orElse(null);
        } catch (HttpClientException unavailable) {
            return null;
        }
    }

    @Post("/clusters")
    HttpResponse<Created> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body ClusterSpec spec) {
        ClusterService.Created created = clusters.create(caller, spec);
        return HttpResponse.accepted().body(new Created(created.cluster().id(), created.task().id(),
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
    @Get("/clusters/{id}/connection")
    Connection connection(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        if (!caller.isService()) {
            throw new CtlException(CtlError.FORBIDDEN, "a cluster's password is given to Biu's services only; "
                    + "its owner saw it when the cluster was created");
        }
        if (!caller.scopes().contains(Scopes.CONNECTION)) {
            throw new CtlException(CtlError.FORBIDDEN, "a cluster's password is given only to a service token with "
                    + "the scope " + Scopes.CONNECTION);
        }
        Cluster c = clusters.get(caller, id);
        List<Instance> all = instances.findByClusterIdOrderByShardAndRoleAndId(c.id());
        List<String> seeds = all.stream().filter(i -> i.state() == InstanceState.ACTIVE).map(Instance::hostPort)
                .toList();
        return new Connection(c.id(), c.name(), c.pod(), c.state(), seeds, MemberNotice.members(all), c.password(),
                config.nodeTimeout().toMillis());
    }

    @Delete("/clusters/{id}")
    HttpResponse<TaskView> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return HttpResponse.accepted().body(taskView(clusters.delete(caller, id)));
    }

    /** Resumes a failed cluster's last task from the step it failed at. */
    @Post("/clusters/{id}/resume")
    HttpResponse<TaskView> resume(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return HttpResponse.accepted().body(taskView(clusters.resume(caller, id)));
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

    /**
     * An operator gives up a shard whose every member failed: it is served again, empty. 202 with the healing task, or
     * without a body if healing starts once the cluster is idle.
     */
    @Post("/clusters/{id}/shards/{shard}/serve-empty")
    HttpResponse<TaskView> serveEmpty(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @PathVariable int shard) {
        return clusters.serveEmpty(caller, id, shard, suspects::answers)
                .map(t -> HttpResponse.accepted().body(taskView(t))).orElseGet(HttpResponse::accepted);
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
            views.add(instanceView(i, topology == null || i.redisId() == null ? null : topology.node(i.redisId())));
        }
        Task task = clusters.tasksOf(c).stream().findFirst().orElse(null);
        return new ClusterView(c.id(), c.name(), c.tenant(), c.pod(), c.state(), c.masters(), c.replicas(),
                c.cpu().toPlainString(), c.memory(), c.maxmemory(), c.persistence(), c.eviction(), views,
                task == null ? null : taskView(task), live ? endpoint(c) : null, c.createdAt(), c.busTls());
    }

    /**
     * An instance as the API shows it: its role and slots as the cluster has them ({@code live}, its node in the
     * cluster's topology), else its role as recorded and no slots; its volume key as recorded.
     */
    static InstanceView instanceView(Instance i, @Nullable Topology.Node live) {
        Role role = live == null ? i.role() : live.master() ? Role.MASTER : Role.REPLICA;
        return new InstanceView(i.id(), i.state(), role, i.address(), i.port(), i.containerId(), i.container(),
                i.node(), i.shard(), i.redisId(), live == null ? null : ranges(live.slots()), i.volumeKey());
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

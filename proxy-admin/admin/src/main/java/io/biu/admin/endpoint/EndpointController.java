package io.biu.admin.endpoint;

import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Endpoints: a tenant's proxies in front of one of its clusters, with the password they accept. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class EndpointController {

    private final EndpointService endpoints;

    EndpointController(EndpointService endpoints) {
        this.endpoints = endpoints;
    }

    @Serdeable
    record IssueRequest(@Nullable Long cluster, @Nullable Integer proxies) {
    }

    @Serdeable
    record RotateRequest(@Nullable Long graceSeconds) {
    }

    /** A proxy: where it is, whether it is ready, and (when asked for one endpoint) what it counts. */
    @Serdeable
    record ProxyView(long container, String node, @Nullable String address, int port, String state, boolean ready,
            @Nullable Map<String, String> stats) {
    }

    @Serdeable
    record EndpointView(long id, long cluster, String clusterName, List<String> addresses, String state,
            List<ProxyView> proxies, @Nullable Instant oldPasswordUntil, Instant createdAt,
            @Nullable String password) {
    }

    private static final List<String> STATS = List.of("connected_clients", "instantaneous_ops_per_sec",
            "total_commands_processed", "total_error_replies", "latency_p50_us", "latency_p99_us", "retries",
            "moved_redirections", "ask_redirections", "cluster_masters", "cluster_slots_unserved", "error");

    private EndpointView view(Endpoint e, boolean withStats, @Nullable String password) {
        List<Schema.Container> containers = endpoints.proxiesOf(e);
        List<ProxyView> proxies = containers.stream().map(c -> {
            Map<String, String> stats = null;
            if (withStats && c.ready()) {
                Map<String, String> all = endpoints.stats(e, c);
                stats = all.entrySet().stream().filter(f -> STATS.contains(f.getKey()))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            }
            return new ProxyView(c.id(), c.node(), c.host(), c.port(ProxyLink.PORT), c.state(), c.ready(), stats);
        }).toList();
        long ready = proxies.stream().filter(ProxyView::ready).count();
        String state = ready == 0 ? "starting" : ready < e.proxies() ? "degraded" : "ready";
        List<String> addresses = proxies.stream().filter(p -> p.address() != null)
                .map(p -> p.address() + ":" + p.port()).toList();
        return new EndpointView(e.id(), e.clusterId(), e.clusterName(), addresses, state, proxies,
                e.oldPasswordUntil(), e.createdAt(), password);
    }

    @Post("/endpoints")
    HttpResponse<EndpointView> issue(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body IssueRequest request) {
        if (request.cluster() == null) {
            throw new io.biu.admin.api.AdminException(io.biu.admin.api.AdminError.INVALID,
                    "cluster: give the id of the cluster the endpoint is for");
        }
        EndpointService.Issued issued = endpoints.issue(caller, request.cluster(), request.proxies());
        return HttpResponse.created(view(issued.endpoint(), false, issued.password()));
    }

    @Get("/endpoints")
    List<EndpointView> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @QueryValue @Nullable Long cluster) {
        return endpoints.list(caller, cluster).stream().map(e -> view(e, false, null)).toList();
    }

    @Get("/endpoints/{id}")
    EndpointView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return view(endpoints.get(caller, id), true, null);
    }

    @Post("/endpoints/{id}/rotate")
    EndpointView rotate(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @Body @Nullable RotateRequest request) {
        Long grace = request == null ? null : request.graceSeconds();
        EndpointService.Issued issued = endpoints.rotate(caller, id, grace == null ? null : Duration.ofSeconds(grace));
        return view(issued.endpoint(), false, issued.password());
    }

    @Delete("/endpoints/{id}")
    HttpResponse<Void> revoke(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        endpoints.revoke(caller, id);
        return HttpResponse.noContent();
    }
}

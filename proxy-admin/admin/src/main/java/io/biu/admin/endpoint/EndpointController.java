package io.biu.admin.endpoint;

import io.biu.admin.api.AdminError;
import io.biu.admin.api.AdminException;
import io.biu.admin.client.Authority;
import io.biu.admin.client.EndpointState;
import io.biu.admin.client.EndpointView;
import io.biu.admin.client.IssueRequest;
import io.biu.admin.client.ProxyView;
import io.biu.admin.client.RotateRequest;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Endpoints: a tenant's proxies in front of one of its clusters, with the password they accept. The API of
 * {@code io.biu.admin.client}.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class EndpointController {

    private static final Logger LOG = LoggerFactory.getLogger(EndpointController.class);

    private final EndpointService endpoints;

    EndpointController(EndpointService endpoints) {
        this.endpoints = endpoints;
    }

    private static final List<String> STATS = List.of("connected_clients", "instantaneous_ops_per_sec",
            "total_commands_processed", "total_error_replies", "latency_p50_us", "latency_p99_us", "retries",
            "moved_redirections", "ask_redirections", "cluster_masters", "cluster_slots_unserved", "cluster_members",
            "cluster_members_refused", "error");

    private EndpointView view(Endpoint e, boolean withStats, @Nullable String password) {
        List<Schema.Container> containers = endpoints.proxiesOf(e);
        Set<Long> servable = endpoints.servable(e, containers);
        List<ProxyView> proxies = containers.stream().map(c -> {
            Map<String, String> stats = null;
            if (withStats && c.ready()) {
                Map<String, String> all = endpoints.stats(e, c);
                stats = all.entrySet().stream().filter(f -> STATS.contains(f.getKey()))
                        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            }
            return new ProxyView(c.id(), c.node(), c.host(), c.port(ProxyLink.PORT), c.state(),
                    servable.contains(c.id()), stats);
        }).toList();
        EndpointState state = EndpointState.of(proxies.stream().filter(ProxyView::ready).count(), e.proxies());
        // a TLS proxy's address is given out only once it serves a certificate naming it
        List<String> addresses = proxies.stream().filter(p -> p.address() != null && (!e.tls() || p.ready()))
                .map(p -> p.address() + ":" + p.port()).toList();
        return new EndpointView(e.id(), e.clusterId(), e.clusterName(), addresses, state, e.tls(), proxies,
                e.oldPasswordUntil(), e.createdAt(), password);
    }

    @Post("/endpoints")
    HttpResponse<EndpointView> issue(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body IssueRequest request) {
        if (request.cluster() == null) {
            throw new AdminException(AdminError.INVALID,
                    "cluster: give the id of the cluster the endpoint is for");
        }
        EndpointService.Issued issued = endpoints.issue(caller, request.cluster(), request.proxies(),
                request.wantsTls());
        return HttpResponse.created(view(issued.endpoint(), false, issued.password()));
    }

    /** The certificate of proxy-admin's authority: clients of TLS endpoints trust it. */
    @Get("/ca")
    Authority authority() {
        return new Authority(endpoints.authorityCertificate());
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

    /**
     * redis-ctl: the instances of a cluster of the tenant changed; its endpoints' proxies are told at once. The
     * answer lists the proxies that could not be told (they are at the next sync): empty when all were.
     */
    @Post("/endpoints/members")
    List<String> membersChanged(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @QueryValue long cluster) {
        List<String> missed = endpoints.membersChanged(caller, cluster);
        if (!missed.isEmpty()) {
            LOG.info("cluster {}: not told of its instances yet (next sync): {}", cluster, missed);
        }
        return missed;
    }

    @Delete("/endpoints/{id}")
    HttpResponse<Void> revoke(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        endpoints.revoke(caller, id);
        return HttpResponse.noContent();
    }
}

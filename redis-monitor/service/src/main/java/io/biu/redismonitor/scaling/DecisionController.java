package io.biu.redismonitor.scaling;

import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.client.ActionView;
import io.biu.redismonitor.client.DecisionKind;
import io.biu.redismonitor.client.DecisionReason;
import io.biu.redismonitor.client.DecisionView;
import io.biu.redismonitor.client.Inputs;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Pageable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * The audit trail, newest first: a cluster's decisions ({@code /clusters/{id}/decisions}), the tenant's decisions
 * ({@code /decisions}, optionally of one cluster by id or name), and a cluster's scaling actions.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
class DecisionController {

    private static final int MAX_LIMIT = 1000;

    private final DecisionRepository decisions;
    private final ActionRepository actions;
    private final Clusters clusters;
    private final ObjectMapper json;

    DecisionController(DecisionRepository decisions, ActionRepository actions, Clusters clusters, ObjectMapper json) {
        this.decisions = decisions;
        this.actions = actions;
        this.clusters = clusters;
        this.json = json;
    }

    @Get("/clusters/{id}/decisions")
    List<DecisionView> ofCluster(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @Nullable @QueryValue Integer limit) {
        List<DecisionRow> rows = decisions.findByClusterIdAndTenantOrderByIdDesc(id, caller.actingTenant(),
                page(limit));
        if (rows.isEmpty()) {
            clusters.owned(caller, id);
        }
        return rows.stream().map(this::view).toList();
    }

    @Get("/decisions")
    List<DecisionView> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Nullable @QueryValue String cluster,
            @Nullable @QueryValue Integer limit) {
        String tenant = caller.actingTenant();
        if (cluster == null || cluster.isBlank()) {
            return decisions.findByTenantOrderByIdDesc(tenant, page(limit)).stream().map(this::view).toList();
        }
        if (cluster.chars().allMatch(Character::isDigit)) {
            return ofCluster(caller, Long.parseLong(cluster), limit);
        }
        return decisions.findByTenantAndClusterOrderByIdDesc(tenant, cluster, page(limit)).stream().map(this::view)
                .toList();
    }

    @Get("/clusters/{id}/actions")
    List<ActionView> actions(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        clusters.owned(caller, id);
        return actions.findByClusterIdOrderByIdDesc(id).stream().map(Action::view).toList();
    }

    private DecisionView view(DecisionRow d) {
        Inputs inputs;
        try {
            inputs = json.readValue(d.inputs(), Inputs.class);
        } catch (IOException e) {
            throw new MonitorException(MonitorError.UNAVAILABLE, "decision " + d.id() + " cannot be read: "
                    + e.getMessage(), e);
        }
        ActionView action = d.actionId() == null ? null : actions.findById(d.actionId()).map(Action::view)
                .orElse(null);
        return new DecisionView(d.id(), d.clusterId(), d.cluster(), d.at(), DecisionKind.valueOf(d.kind()),
                d.masters(), DecisionReason.valueOf(d.reason()),
                d.trigger() == null ? null : DecisionReason.valueOf(d.trigger()), d.why(), inputs, action);
    }

    private static Pageable page(@Nullable Integer limit) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw MonitorException.invalid("limit must be between 1 and %d, not %d", MAX_LIMIT, n);
        }
        return Pageable.from(0, n);
    }
}

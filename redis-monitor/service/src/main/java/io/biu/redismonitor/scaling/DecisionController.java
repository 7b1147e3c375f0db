package io.biu.redismonitor.scaling;

import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
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
import io.micronaut.serde.annotation.Serdeable;
import java.io.IOException;
import java.time.Instant;
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

    @Serdeable
    record ActionView(long id, String kind, String state, String step, int masters, @Nullable Long drained,
            List<Long> containers, @Nullable Long task, String detail, Instant createdAt,
            @Nullable Instant finishedAt) {

        static ActionView of(Action a) {
            return new ActionView(a.id(), dashed(a.kind().name()), a.state().name().toLowerCase(), a.step(),
                    a.masters(), a.subject(), a.containerIds(), a.taskId(), a.detail(), a.createdAt(), a.finishedAt());
        }
    }

    @Serdeable
    record DecisionView(long id, long cluster, String clusterName, Instant at, String decision, int masters,
            String reason, @Nullable String trigger, @Nullable String why, Inputs inputs,
            @Nullable ActionView action) {
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
        return actions.findByClusterIdOrderByIdDesc(id).stream().map(ActionView::of).toList();
    }

    private DecisionView view(DecisionRow d) {
        Inputs inputs;
        try {
            inputs = json.readValue(d.inputs(), Inputs.class);
        } catch (IOException e) {
            throw new MonitorException(MonitorError.UNAVAILABLE, "decision " + d.id() + " cannot be read: "
                    + e.getMessage(), e);
        }
        ActionView action = d.actionId() == null ? null : actions.findById(d.actionId()).map(ActionView::of)
                .orElse(null);
        return new DecisionView(d.id(), d.clusterId(), d.cluster(), d.at(), dashed(d.kind()), d.masters(),
                dashed(d.reason()), d.trigger() == null ? null : dashed(d.trigger()), d.why(), inputs, action);
    }

    private static Pageable page(@Nullable Integer limit) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw MonitorException.invalid("limit must be between 1 and %d, not %d", MAX_LIMIT, n);
        }
        return Pageable.from(0, n);
    }

    /** SCALE_OUT as scale-out. */
    static String dashed(String name) {
        return name.toLowerCase().replace('_', '-');
    }
}

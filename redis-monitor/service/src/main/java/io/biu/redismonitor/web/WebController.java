package io.biu.redismonitor.web;

import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.client.DecisionKind;
import io.biu.redismonitor.client.WebDecisionView;
import io.biu.redismonitor.client.WebPolicySettings;
import io.biu.redismonitor.client.WebPolicyView;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.Pageable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * A web app's scaling policy on its request rate ({@code /web-policies/{app}}: GET, PUT with the settings to change,
 * DELETE to stop scaling it) and its decisions, newest first.
 */
@Controller("/api/v1/web-policies")
@ExecuteOn(TaskExecutors.BLOCKING)
class WebController {

    private final WebRepositories.Policies policies;
    private final WebRepositories.Decisions decisions;
    private final SchedulerClient scheduler;
    private final ObjectMapper json;
    private final Clock clock;

    WebController(WebRepositories.Policies policies, WebRepositories.Decisions decisions, SchedulerClient scheduler,
            ObjectMapper json, Clock clock) {
        this.policies = policies;
        this.decisions = decisions;
        this.scheduler = scheduler;
        this.json = json;
        this.clock = clock;
    }

    @Get("/{app}")
    WebPolicyView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String app) {
        String tenant = owned(caller, app);
        WebPolicyRow row = policies.findById(tenant + "/" + app).orElseThrow(() -> new MonitorException(
                MonitorError.NOT_FOUND, "web app " + app + " has no scaling policy: PUT one to scale it"));
        return view(row);
    }

    @Put("/{app}")
    WebPolicyView put(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String app,
            @Body WebPolicySettings settings) {
        String tenant = owned(caller, app);
        ValidWebPolicy.of(settings);
        String text;
        try {
            text = json.writeValueAsString(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        WebPolicyRow row = new WebPolicyRow(tenant + "/" + app, tenant, app, text, clock.instant());
        if (policies.existsById(row.id())) {
            policies.update(row);
        } else {
            policies.save(row);
        }
        return view(row);
    }

    @Delete("/{app}")
    WebPolicyView delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String app) {
        WebPolicyView view = get(caller, app);
        policies.deleteById(owned(caller, app) + "/" + app);
        return view;
    }

    @Get("/{app}/decisions")
    List<WebDecisionView> decisions(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String app,
            @Nullable @QueryValue Integer limit) {
        String tenant = owned(caller, app);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw MonitorException.invalid("limit must be between 1 and 1000, not %d", n);
        }
        return decisions.findByTenantAndAppOrderByIdDesc(tenant, app, Pageable.from(0, n)).stream()
                .map(d -> new WebDecisionView(d.id(), d.app(), d.at(), DecisionKind.valueOf(d.kind()),
                        d.containers(), d.wanted(), d.reason(), d.rps(), d.why())).toList();
    }

    private WebPolicyView view(WebPolicyRow row) {
        WebPolicySettings chosen;
        try {
            chosen = json.readValue(row.settings(), WebPolicySettings.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new WebPolicyView(row.app(), chosen, ValidWebPolicy.settings(ValidWebPolicy.of(chosen)),
                row.updatedAt());
    }

    /** The caller's tenant, once the scheduler confirmed the app is one of its. */
    private String owned(Caller caller, String app) {
        String tenant = caller.actingTenant();
        try {
            if (scheduler.app(tenant, app) == null) {
                throw new MonitorException(MonitorError.NOT_FOUND, "tenant " + tenant + " has no app " + app);
            }
        } catch (HttpClientException e) {
            throw new MonitorException(MonitorError.UNAVAILABLE, "the scheduler did not answer: " + e.getMessage(), e);
        }
        return tenant;
    }
}

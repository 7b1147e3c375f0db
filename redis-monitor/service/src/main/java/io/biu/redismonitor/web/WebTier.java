package io.biu.redismonitor.web;

import io.biu.kit.lease.Leases;
import io.biu.redismonitor.MonitorConfig;
import io.biu.redismonitor.client.DecisionKind;
import io.biu.redismonitor.client.WebPolicySettings;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code interval}: the request rate of each web app with a policy, as nginx reports it, into the app's rate
 * window; then the app's policy ({@link WebDecider}) and, when it says so, the scheduler scales the app. Scaling is
 * one idempotent call (to a number of containers), so a restart in the middle needs no recovery. Decisions that
 * scale or are blocked, and holds that were close calls, are recorded.
 */
@Singleton
@Requires(property = "biu.redis-monitor.background", notEquals = "false")
class WebTier {

    private static final Logger LOG = LoggerFactory.getLogger(WebTier.class);

    private final WebRepositories.Policies policies;
    private final WebRepositories.Decisions decisions;
    private final NginxStatus nginx;
    private final SchedulerClient scheduler;
    private final Leases leases;
    private final ObjectMapper json;
    private final MonitorConfig config;
    private final Clock clock;
    private final Map<String, RateWindow> windows = new HashMap<>();
    private String failing;

    WebTier(WebRepositories.Policies policies, WebRepositories.Decisions decisions, NginxStatus nginx,
            SchedulerClient scheduler, Leases leases, ObjectMapper json, MonitorConfig config, Clock clock) {
        this.policies = policies;
        this.decisions = decisions;
        this.nginx = nginx;
        this.scheduler = scheduler;
        this.leases = leases;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${biu.redis-monitor.interval}", initialDelay = "2s")
    void round() {
        if (!nginx.configured()) {
            return;
        }
        try {
            if (!leases.hold("monitor", config.interval().multipliedBy(3))) {
                return;
            }
            Map<String, Double> rates = nginx.rates();
            Instant now = clock.instant();
            List<WebPolicyRow> apps = policies.findAll();
            windows.keySet().retainAll(apps.stream().map(WebPolicyRow::id).toList());
            for (WebPolicyRow row : apps) {
                app(row, rates.get(row.id()), now);
            }
            if (failing != null) {
                LOG.info("web tier: nginx's figures and the scheduler answer again");
                failing = null;
            }
        } catch (RuntimeException e) {
            if (!e.toString().equals(failing)) {
                LOG.warn("web tier: {}", e.toString());
                failing = e.toString();
            }
        }
    }

    private void app(WebPolicyRow row, Double rps, Instant now) {
        WebPolicy policy = ValidWebPolicy.of(settings(row));
        RateWindow window = windows.get(row.id());
        if (window == null || !window.maxAge().equals(policy.windowAge())) {
            window = RateWindow.empty(policy.windowAge());
        }
        if (rps != null) {
            window = window.with(new RateWindow.Rate(now, rps));
        }
        windows.put(row.id(), window);
        List<Schema.Container> all = scheduler.containers(row.tenant(), row.app());
        if (all == null) {
            return;
        }
        int containers = (int) all.stream().filter(Schema.Container::live).count();
        WebDecision d = WebDecider.decide(window, policy, containers, now, last(row, DecisionKind.SCALE_OUT),
                last(row, DecisionKind.SCALE_IN));
        if (!d.scales()) {
            if (d.closeCall() && worthRecording(row, d, now)) {
                record(row, DecisionKind.HOLD, d, now, null);
            }
            return;
        }
        try {
            SchedulerErrors.body(scheduler.scale(row.tenant(), row.app(), new Schema.Scale(d.containers(), null)));
            record(row, d.containers() > containers ? DecisionKind.SCALE_OUT : DecisionKind.SCALE_IN, d, now, null);
            LOG.info("web app {}: {} -> {} containers ({}, {} requests/s)", row.id(), containers, d.containers(),
                    d.reason(), Math.round(d.rps()));
        } catch (HttpClientResponseException e) {
            if (worthRecording(row, new WebDecision(d.containers(), "blocked", d.rps(), containers, false), now)) {
                record(row, DecisionKind.BLOCKED, d, now, "the scheduler refused to scale " + row.app() + " to "
                        + d.containers() + " containers (" + d.reason() + "): " + SchedulerErrors.message(e));
            }
        }
    }

    private Instant last(WebPolicyRow row, DecisionKind kind) {
        return decisions.findFirstByTenantAndAppAndKindOrderByIdDesc(row.tenant(), row.app(), kind.name())
                .map(WebDecisionRow::at).orElse(null);
    }

    /** A hold or block like the app's previous record is recorded again only after {@code audit-repeat}. */
    private boolean worthRecording(WebPolicyRow row, WebDecision d, Instant now) {
        Optional<WebDecisionRow> last = decisions.findFirstByTenantAndAppOrderByIdDesc(row.tenant(), row.app());
        return last.isEmpty() || !last.get().reason().equals(d.reason())
                || !last.get().at().plus(config.auditRepeat()).isAfter(now);
    }

    private void record(WebPolicyRow row, DecisionKind kind, WebDecision d, Instant now, String why) {
        decisions.save(new WebDecisionRow(null, row.tenant(), row.app(), now, kind.name(), d.current(),
                d.containers(), kind == DecisionKind.BLOCKED ? "blocked" : d.reason(), d.rps(), why));
    }

    private WebPolicySettings settings(WebPolicyRow row) {
        try {
            return json.readValue(row.settings(), WebPolicySettings.class);
        } catch (IOException e) {
            throw new IllegalStateException("the policy of web app " + row.id() + " cannot be read: " + e, e);
        }
    }
}

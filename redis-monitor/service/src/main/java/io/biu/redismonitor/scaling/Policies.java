package io.biu.redismonitor.scaling;

import io.biu.redisctl.client.ClusterView;
import io.biu.redismonitor.MonitorConfig;
import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.client.PolicySettings;
import io.biu.redismonitor.policy.Policy;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Tenants' policies: stored as the settings they chose, applied over the defaults. */
@Singleton
public class Policies {

    private final PolicyRepository policies;
    private final ObjectMapper json;
    private final MonitorConfig config;
    private final Clock clock;

    Policies(PolicyRepository policies, ObjectMapper json, MonitorConfig config, Clock clock) {
        this.policies = policies;
        this.json = json;
        this.config = config;
        this.clock = clock;
    }

    /** A cluster's policy: what its tenant chose, and the policy that results. */
    public record Stored(Optional<PolicySettings> chosen, Policy policy, Optional<Instant> updatedAt) {
    }

    public Stored of(ClusterView cluster) {
        Optional<PolicyRow> row = policies.findById(cluster.id());
        Optional<PolicySettings> chosen = row.map(r -> read(r.settings()));
        return new Stored(chosen, ValidPolicy.of(chosen.orElse(ValidPolicy.NONE), cluster.masters()),
                row.map(PolicyRow::updatedAt));
    }

    /** Whether the monitor scales the cluster: it has a policy of its own, or defaults apply to everyone's. */
    public boolean managed(long clusterId) {
        return config.defaultPolicy() || policies.existsById(clusterId);
    }

    /** Replaces the cluster's settings; invalid settings are refused with what is wrong. */
    public Stored put(ClusterView cluster, PolicySettings settings) {
        if (settings == null) {
            throw MonitorException.invalid("send the policy's settings as a JSON object ({} for the defaults)");
        }
        ValidPolicy.of(settings, cluster.masters());
        String text;
        try {
            text = json.writeValueAsString(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PolicyRow row = new PolicyRow(cluster.id(), cluster.tenant(), text, clock.instant());
        if (policies.existsById(cluster.id())) {
            policies.update(row);
        } else {
            policies.save(row);
        }
        return of(cluster);
    }

    /** Back to the defaults. */
    public Stored reset(ClusterView cluster) {
        policies.deleteById(cluster.id());
        return of(cluster);
    }

    private PolicySettings read(String text) {
        try {
            return json.readValue(text, PolicySettings.class);
        } catch (IOException e) {
            throw new MonitorException(MonitorError.UNAVAILABLE, "a stored policy cannot be read: " + e.getMessage(),
                    e);
        }
    }
}

package io.biu.redismonitor.scaling;

import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A cluster's scaling policy: {@code GET} shows what its tenant chose ({@code chosen}, absent for the defaults) and
 * the policy in force ({@code policy}, every setting); {@code PUT} replaces the chosen settings (a setting left out
 * takes its default); {@code DELETE} returns to the defaults.
 */
@Controller("/api/v1/policies")
@ExecuteOn(TaskExecutors.BLOCKING)
class PolicyController {

    private final Policies policies;
    private final Clusters clusters;

    PolicyController(Policies policies, Clusters clusters) {
        this.policies = policies;
        this.clusters = clusters;
    }

    @Serdeable
    record PolicyView(long cluster, String clusterName, @Nullable PolicySettings chosen, PolicySettings policy,
            @Nullable Instant updatedAt) {

        static PolicyView of(io.biu.redismonitor.ctl.RedisCtlClient.Cluster c, Policies.Stored s) {
            return new PolicyView(c.id(), c.name(), s.chosen().orElse(null), PolicySettings.of(s.policy()),
                    s.updatedAt().orElse(null));
        }
    }

    @Get("/{cluster}")
    PolicyView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long cluster) {
        var c = clusters.owned(caller, cluster);
        return PolicyView.of(c, policies.of(c));
    }

    @Put("/{cluster}")
    PolicyView put(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long cluster,
            @Body PolicySettings settings) {
        var c = clusters.owned(caller, cluster);
        return PolicyView.of(c, policies.put(c, settings));
    }

    @Delete("/{cluster}")
    PolicyView reset(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long cluster) {
        var c = clusters.owned(caller, cluster);
        return PolicyView.of(c, policies.reset(c));
    }
}

package io.biu.redismonitor.scaling;

import io.biu.redisctl.client.ClusterView;
import io.biu.redismonitor.client.PolicySettings;
import io.biu.redismonitor.client.PolicyView;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

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

    @Get("/{cluster}")
    PolicyView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long cluster) {
        ClusterView c = clusters.owned(caller, cluster);
        return view(c, policies.of(c));
    }

    @Put("/{cluster}")
    PolicyView put(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long cluster,
            @Body PolicySettings settings) {
        ClusterView c = clusters.owned(caller, cluster);
        return view(c, policies.put(c, settings));
    }

    @Delete("/{cluster}")
    PolicyView reset(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long cluster) {
        ClusterView c = clusters.owned(caller, cluster);
        return view(c, policies.reset(c));
    }

    private static PolicyView view(ClusterView c, Policies.Stored s) {
        return new PolicyView(c.id(), c.name(), s.chosen().orElse(null), ValidPolicy.settings(s.policy()),
                s.updatedAt().orElse(null));
    }
}

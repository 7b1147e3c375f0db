package io.biu.redismonitor.client;

import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;
import java.util.List;

/**
 * redis-monitor's API as Biu's other services call it, with their own service token, acting for the tenant named in
 * each call. A lookup of something the tenant does not have is {@code null}; a refused change comes back as the
 * response, or an {@code HttpClientResponseException} carrying {@code {error, message}} (read with
 * {@code io.biu.scheduler.client.SchedulerErrors}).
 */
@Client(id = RedisMonitorClient.SERVICE_ID, path = "/api/v1")
public interface RedisMonitorClient {

    /** The service id under {@code micronaut.http.services} that holds redis-monitor's URL and timeouts. */
    String SERVICE_ID = "redis-monitor";

    /** A cluster's policy: what its tenant chose, what is in force; {@code null} if the tenant has no such cluster. */
    @Get("/policies/{cluster}")
    @Nullable
    PolicyView policy(@Header(Caller.TENANT_HEADER) String tenant, long cluster);

    /** Replaces the settings the tenant chose (a field left out takes its default); a 400 says what to fix. */
    @Put("/policies/{cluster}")
    HttpResponse<PolicyView> putPolicy(@Header(Caller.TENANT_HEADER) String tenant, long cluster,
            @Body PolicySettings settings);

    /** Back to the defaults. */
    @Delete("/policies/{cluster}")
    HttpResponse<PolicyView> resetPolicy(@Header(Caller.TENANT_HEADER) String tenant, long cluster);

    /**
     * The tenant's decisions, newest first, at most {@code limit} (default 100, at most 1000); of one cluster if
     * {@code cluster} (its id or its name) is given.
     */
    @Get("/decisions")
    List<DecisionView> decisions(@Header(Caller.TENANT_HEADER) String tenant, @Nullable @QueryValue String cluster,
            @Nullable @QueryValue Integer limit);

    /** A cluster's decisions, newest first; {@code null} if the tenant has no such cluster. */
    @Get("/clusters/{id}/decisions")
    @Nullable
    List<DecisionView> clusterDecisions(@Header(Caller.TENANT_HEADER) String tenant, long id,
            @Nullable @QueryValue Integer limit);

    /** A cluster's scaling actions, newest first; {@code null} if the tenant has no such cluster. */
    @Get("/clusters/{id}/actions")
    @Nullable
    List<ActionView> actions(@Header(Caller.TENANT_HEADER) String tenant, long id);

    /** A web app's policy; {@code null} if the app has none (or the tenant has no such app). */
    @Get("/web-policies/{app}")
    @Nullable
    WebPolicyView webPolicy(@Header(Caller.TENANT_HEADER) String tenant, String app);

    /** Sets a web app's policy (a field left out takes its default), which makes the monitor scale it. */
    @Put("/web-policies/{app}")
    HttpResponse<WebPolicyView> putWebPolicy(@Header(Caller.TENANT_HEADER) String tenant, String app,
            @Body WebPolicySettings settings);

    /** Stops scaling a web app; answers the policy it had. */
    @Delete("/web-policies/{app}")
    HttpResponse<WebPolicyView> deleteWebPolicy(@Header(Caller.TENANT_HEADER) String tenant, String app);

    /** A web app's decisions, newest first; {@code null} if the tenant has no such app. */
    @Get("/web-policies/{app}/decisions")
    @Nullable
    List<WebDecisionView> webDecisions(@Header(Caller.TENANT_HEADER) String tenant, String app,
            @Nullable @QueryValue Integer limit);
}

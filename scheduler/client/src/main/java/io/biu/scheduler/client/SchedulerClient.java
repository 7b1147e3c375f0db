package io.biu.scheduler.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;
import java.util.List;

/**
 * The scheduler's API as other services call it: with their own service token (added by
 * {@link ServiceTokenFilter}), acting for the tenant named in each call. Error statuses come back as an
 * {@code HttpClientResponseException} carrying the scheduler's {@code {error, message}} body (see
 * {@link SchedulerErrors}), except a 404 of a lookup, which is {@code null}. (Changes return the whole
 * response for that reason: a 404 there, an unknown pod say, must be an error.)
 */
@Client(id = SchedulerClient.SERVICE_ID, path = "/api/v1")
public interface SchedulerClient {

    /** The service id under {@code micronaut.http.services} that holds the scheduler's URL and timeouts. */
    String SERVICE_ID = "scheduler";
    /** The header a service or operator token uses to act for a tenant. */
    String TENANT_HEADER = "X-Biu-Tenant";

    /** A pod the tenant may use; {@code null} if there is none of that name for it. */
    @Get("/pods/{name}")
    @Nullable
    Schema.Pod pod(@Header(TENANT_HEADER) String tenant, String name);

    /** A tenant's quota and what it holds ({@code actingFor}: the tenant itself); null from a scheduler without. */
    @Get("/tenants/{tenant}/quota")
    @Nullable
    Schema.Quota quota(@Header(TENANT_HEADER) String actingFor, @PathVariable String tenant);

    /** How many containers of {@code cpu} cores and {@code memory} (e.g. 64MiB) the pod has room for, per node. */
    @Get("/pods/{pod}/capacity")
    Schema.Capacity capacity(@Header(TENANT_HEADER) String tenant, String pod, @QueryValue String cpu,
            @QueryValue String memory);

    @Post("/apps")
    HttpResponse<Schema.App> createApp(@Header(TENANT_HEADER) String tenant, @Body Schema.AppSpec spec);

    @Get("/apps/{name}")
    @Nullable
    Schema.App app(@Header(TENANT_HEADER) String tenant, String name);

    /** Deletes an app without containers, and its volumes (those on nodes that do not answer once they do). */
    @Delete("/apps/{name}")
    void deleteApp(@Header(TENANT_HEADER) String tenant, String name);

    @Post("/apps/{app}/containers")
    HttpResponse<List<Schema.Container>> deploy(@Header(TENANT_HEADER) String tenant, String app, @Body Schema.Deploy request);

    /** Brings the app to {@code replicas} containers: deploys the missing ones or removes the newest. */
    @Put("/apps/{app}/scale")
    HttpResponse<List<Schema.Container>> scale(@Header(TENANT_HEADER) String tenant, String app,
            @Body Schema.Scale request);

    @Get("/apps/{app}/containers")
    List<Schema.Container> containers(@Header(TENANT_HEADER) String tenant, String app);

    /** The data volumes of the app's keys, on every node, removals pending included. */
    @Get("/apps/{app}/volumes")
    List<Schema.Volume> volumes(@Header(TENANT_HEADER) String tenant, String app);

    /**
     * Removes a key's volumes on every node: 200 when all are gone, 202 when some wait for their node to answer
     * (removed then), 409 while a container of the key exists.
     */
    @Delete("/apps/{app}/volumes/{key}")
    HttpResponse<Schema.VolumeRemoval> deleteVolume(@Header(TENANT_HEADER) String tenant, String app, String key);

    @Get("/containers/{id}")
    @Nullable
    Schema.Container container(@Header(TENANT_HEADER) String tenant, long id);

    @Delete("/containers/{id}")
    HttpResponse<Schema.Removal> remove(@Header(TENANT_HEADER) String tenant, long id);

    /** Who holds a token; callers cache the answer briefly. */
    @Post("/tokens/introspect")
    Schema.Introspection introspect(@Body Schema.IntrospectRequest request);

    /** Events after a sequence number, oldest first: the API's view of the bus's stream. */
    @Get("/events")
    List<Schema.Event> events(@QueryValue long after, @QueryValue int limit);
}

package io.biu.redisctl.client;

import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.annotation.Client;
import java.util.List;

/**
 * redis-ctl's API as Biu's other services call it, with their own service token, acting for the tenant named in each
 * call (or, listing clusters, for every tenant). A lookup of something the tenant does not have is {@code null}; a
 * refused change comes back as the response, or an {@code HttpClientResponseException} carrying
 * {@code {error, message}} (read with {@code io.biu.scheduler.client.SchedulerErrors}).
 */
@Client(id = RedisCtlClient.SERVICE_ID, path = "/api/v1")
public interface RedisCtlClient {

    /** The service id under {@code micronaut.http.services} that holds redis-ctl's URL and timeouts. */
    String SERVICE_ID = "redis-ctl";

    /** Every tenant's clusters (a service token that names no tenant). */
    @Get("/clusters")
    List<ClusterView> clusters();

    /** The cluster with its instances' live roles and its endpoint; {@code null} if the tenant has no such cluster. */
    @Get("/clusters/{id}")
    @Nullable
    ClusterView cluster(@Header(Caller.TENANT_HEADER) String tenant, long id);

    /** How to reach a cluster: its instances and password; {@code null} if the tenant has no such cluster. */
    @Get("/clusters/{id}/connection")
    @Nullable
    Connection connection(@Header(Caller.TENANT_HEADER) String tenant, long id);

    /**
     * Resumes a failed cluster: its last task, which failed, runs again from the step it failed at (202 with that
     * task); 409 if the cluster is not failed or a task runs on it.
     */
    @Post("/clusters/{id}/resume")
    HttpResponse<TaskView> resume(@Header(Caller.TENANT_HEADER) String tenant, long id);

    @Post("/clusters/{id}/members")
    HttpResponse<TaskView> join(@Header(Caller.TENANT_HEADER) String tenant, long id, @Body JoinRequest request);

    @Post("/clusters/{id}/instances/{instance}/drain")
    HttpResponse<TaskView> drain(@Header(Caller.TENANT_HEADER) String tenant, long id, long instance);

    /** An operator gives up a shard whose every member failed: it is served again, empty (operator tokens only). */
    @Post("/clusters/{id}/shards/{shard}/serve-empty")
    HttpResponse<TaskView> serveEmpty(@Header(Caller.TENANT_HEADER) String tenant, long id, int shard);

    @Delete("/clusters/{id}/instances/{instance}")
    HttpResponse<Void> removeInstance(@Header(Caller.TENANT_HEADER) String tenant, long id, long instance);

    @Get("/tasks/{id}")
    @Nullable
    TaskView task(@Header(Caller.TENANT_HEADER) String tenant, long id);
}

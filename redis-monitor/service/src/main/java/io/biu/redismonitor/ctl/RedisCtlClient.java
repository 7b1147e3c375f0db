package io.biu.redismonitor.ctl;

import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What redis-monitor asks redis-ctl, with its service token: every tenant's clusters (no tenant named), and for one
 * tenant a cluster, its connection, joining members, draining and removing instances, and tasks.
 */
@Client(id = "redis-ctl", path = "/api/v1")
public interface RedisCtlClient {

    /** Every tenant's clusters (a service token that names no tenant). */
    @Get("/clusters")
    List<Cluster> clusters();

    /** The cluster with its instances' live roles; {@code null} if the tenant has no such cluster. */
    @Get("/clusters/{id}")
    @Nullable
    Cluster cluster(@Header(Caller.TENANT_HEADER) String tenant, long id);

    @Get("/clusters/{id}/connection")
    @Nullable
    Connection connection(@Header(Caller.TENANT_HEADER) String tenant, long id);

    @Post("/clusters/{id}/members")
    HttpResponse<Task> join(@Header(Caller.TENANT_HEADER) String tenant, long id, @Body Members members);

    @Post("/clusters/{id}/instances/{instance}/drain")
    HttpResponse<Task> drain(@Header(Caller.TENANT_HEADER) String tenant, long id, long instance);

    @Delete("/clusters/{id}/instances/{instance}")
    HttpResponse<Void> removeInstance(@Header(Caller.TENANT_HEADER) String tenant, long id, long instance);

    @Get("/tasks/{id}")
    @Nullable
    Task task(@Header(Caller.TENANT_HEADER) String tenant, long id);

    @Serdeable
    record Cluster(long id, String name, String tenant, String pod, String state, int masters, int replicas,
            String cpu, long memory, long maxmemory, @Nullable List<Instance> instances, @Nullable Task task) {

        public boolean ready() {
            return "ready".equals(state);
        }

        /** The scheduler's app whose containers are the cluster's instances. */
        public String app() {
            return "redis-" + name;
        }

        public List<Instance> members() {
            return instances == null ? List.of() : instances;
        }

        /** Active instances that are masters now. */
        public List<Instance> activeMasters() {
            return members().stream().filter(i -> i.active() && i.master()).toList();
        }

        /** Whether a task (of redis-ctl, for whatever reason) runs on the cluster. */
        public boolean busy() {
            return task != null && task.open();
        }
    }

    @Serdeable
    record Instance(long id, String state, String role, String address, int port, long containerId, String node,
            int shard, @Nullable String redisId) {

        public boolean active() {
            return "active".equals(state);
        }

        public boolean master() {
            return "master".equals(role);
        }
    }

    @Serdeable
    record Task(long id, long cluster, String kind, String state, @Nullable String step, String progress,
            @Nullable String error) {

        public boolean open() {
            return "pending".equals(state) || "running".equals(state);
        }

        public boolean done() {
            return "done".equals(state);
        }
    }

    @Serdeable
    record Connection(long id, String name, String pod, String state, List<String> seeds, String password) {
    }

    @Serdeable
    record Members(List<Member> members) {
    }

    @Serdeable
    record Member(long container, String role) {
    }
}

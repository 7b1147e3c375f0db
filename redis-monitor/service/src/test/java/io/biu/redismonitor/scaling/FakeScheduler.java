package io.biu.redismonitor.scaling;

import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduler's containers of one tenant, in memory: deployed containers start running but not ready, until a test
 * says so; capacity can run out after a number of deploy calls, which then fail as the scheduler's do.
 */
final class FakeScheduler implements SchedulerClient {

    private final Map<Long, Schema.Container> containers = new LinkedHashMap<>();
    /** Every accepted deploy request, in order. */
    final List<Schema.Deploy> deploys = new ArrayList<>();
    /** Every container removed, in order. */
    final List<Long> removed = new ArrayList<>();
    /** Deploy calls accepted before the pod is full. */
    int room = Integer.MAX_VALUE;
    private long next = 100;

    /** A container of {@code app}, running and ready (one the cluster had before an action). */
    long running(String app, String role, String group) {
        Schema.Container c = container(next++, app, role, group, ContainerState.RUNNING, true);
        containers.put(c.id(), c);
        return c.id();
    }

    /** Every container's readiness probe passes. */
    void readyAll() {
        containers.replaceAll((id, c) -> c.running() ? container(id, c.app(), c.role(), c.group(),
                ContainerState.RUNNING, true) : c);
    }

    /** The container is now in {@code state} (it died, say). */
    void state(long id, ContainerState state) {
        Schema.Container c = containers.get(id);
        containers.put(id, container(id, c.app(), c.role(), c.group(), state, false));
    }

    /** The ids of {@code app}'s containers. */
    List<Long> ids(String app) {
        return containers.values().stream().filter(c -> c.app().equals(app)).map(Schema.Container::id).toList();
    }

    @Override
    public HttpResponse<List<Schema.Container>> deploy(String tenant, String app, Schema.Deploy request) {
        if (deploys.size() >= room) {
            throw new HttpClientResponseException("Unprocessable Entity", HttpResponse.status(
                    HttpStatus.UNPROCESSABLE_ENTITY).body(new SchedulerErrors.Body("CAPACITY_EXHAUSTED",
                    "pod lab has no room for another container of 0.5 cores")));
        }
        deploys.add(request);
        List<Schema.Container> made = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            Schema.Container c = container(next++, app, request.role(), request.groups().get(0),
                    ContainerState.RUNNING, false);
            containers.put(c.id(), c);
            made.add(c);
        }
        return HttpResponse.created(made);
    }

    @Override
    public List<Schema.Container> containers(String tenant, String app) {
        return containers.values().stream().filter(c -> c.app().equals(app)).toList();
    }

    @Override
    public Schema.Container container(String tenant, long id) {
        return containers.get(id);
    }

    @Override
    public HttpResponse<Schema.Removal> remove(String tenant, long id) {
        containers.remove(id);
        removed.add(id);
        return HttpResponse.ok(new Schema.Removal(id, true, "removed"));
    }

    private static Schema.Container container(long id, String app, String role, String group, ContainerState state,
            boolean ready) {
        return new Schema.Container(id, app + "-" + id, app, "acme", "lab", "node-" + id % 3, role, group, state,
                ready, "10.0.0." + id, null, null, "0.5", null, 1L << 30, "1GiB", null, null, null, null);
    }

    @Override
    public Schema.Pod pod(String tenant, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Schema.Quota quota(String actingFor, String tenant) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Schema.Capacity capacity(String tenant, String pod, String cpu, String memory) {
        throw new UnsupportedOperationException();
    }

    @Override
    public HttpResponse<Schema.App> createApp(String tenant, Schema.AppSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Schema.App app(String tenant, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteApp(String tenant, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public HttpResponse<List<Schema.Container>> scale(String tenant, String app, Schema.Scale request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Schema.Introspection introspect(Schema.IntrospectRequest request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Schema.Event> events(long after, int limit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Schema.Volume> volumes(String tenant, String app) {
        return List.of();
    }

    @Override
    public HttpResponse<Schema.VolumeRemoval> deleteVolume(String tenant, String app, String key) {
        throw new UnsupportedOperationException();
    }
}

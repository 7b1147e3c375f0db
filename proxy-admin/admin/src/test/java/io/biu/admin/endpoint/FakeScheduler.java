package io.biu.admin.endpoint;

import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scheduler in memory, as proxy-admin calls it: apps, their containers (running and ready at once), removal. */
final class FakeScheduler implements SchedulerClient {

    final Map<String, Schema.AppSpec> apps = new LinkedHashMap<>();
    final Map<Long, Schema.Container> containers = new LinkedHashMap<>();
    final List<Long> removed = new ArrayList<>();
    /** When set, deploys are refused with this status and error code. */
    HttpStatus refuseDeploys;
    /** The tenants' quotas: none unless set. */
    final Map<String, Schema.Quota> quotas = new LinkedHashMap<>();
    private long next = 100;

    @Override
    public Schema.Quota quota(String actingFor, String tenant) {
        return quotas.getOrDefault(tenant, new Schema.Quota(tenant, null, null, null, null, null,
                new Schema.QuotaUsage(java.math.BigDecimal.ZERO, 0, 0)));
    }

    @Override
    public Schema.Pod pod(String tenant, String name) {
        return new Schema.Pod(name, 100, "0.01 cores", "bound", "shares", new Schema.Network("macvlan",
                "10.90.0.0/16", "10.90.0.1", "eth0", null, List.of(), "pod-" + name), "overlay2", List.of(tenant),
                Instant.EPOCH);
    }

    @Override
    public Schema.Capacity capacity(String tenant, String pod, String cpu, String memory) {
        throw new UnsupportedOperationException();
    }

    @Override
    public HttpResponse<Schema.App> createApp(String tenant, Schema.AppSpec spec) {
        if (apps.containsKey(tenant + "/" + spec.name())) {
            return HttpResponse.status(HttpStatus.CONFLICT).body(null);
        }
        apps.put(tenant + "/" + spec.name(), spec);
        return HttpResponse.status(HttpStatus.CREATED);
    }

    @Override
    public Schema.App app(String tenant, String name) {
        return null;
    }

    @Override
    public void deleteApp(String tenant, String name) {
        apps.remove(tenant + "/" + name);
    }

    @Override
    @SuppressWarnings("unchecked")
    public HttpResponse<List<Schema.Container>> deploy(String tenant, String app, Schema.Deploy request) {
        if (refuseDeploys != null) {
            return (HttpResponse<List<Schema.Container>>) (HttpResponse<?>) HttpResponse.status(refuseDeploys)
                    .body(new SchedulerErrors.Body("CAPACITY_EXHAUSTED", "no node has room for " + request.count()
                            + " proxies"));
        }
        List<Schema.Container> made = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            long id = next++;
            Schema.Container c = new Schema.Container(id, app + "-" + id, app, tenant, "lab", "node" + (i + 1), null,
                    null, ContainerState.RUNNING, true, "10.90.1." + id, null, "10.88.0." + (i + 11), "1", null,
                    256 << 20, null, null, null, Instant.EPOCH, Instant.EPOCH);
            containers.put(id, c);
            made.add(c);
        }
        return HttpResponse.created(made);
    }

    @Override
    public HttpResponse<List<Schema.Container>> scale(String tenant, String app, Schema.Scale request) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Schema.Container> containers(String tenant, String app) {
        if (!apps.containsKey(tenant + "/" + app)) {
            return null;
        }
        return containers.values().stream().filter(c -> c.tenant().equals(tenant) && c.app().equals(app)).toList();
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
        throw new UnsupportedOperationException();
    }

    @Override
    public HttpResponse<Schema.VolumeRemoval> deleteVolume(String tenant, String app, String key) {
        throw new UnsupportedOperationException();
    }
}

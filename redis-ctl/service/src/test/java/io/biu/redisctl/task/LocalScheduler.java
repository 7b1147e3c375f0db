package io.biu.redisctl.task;

import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.backup.LocalRedis;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.Schema;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheduler whose containers are local cluster-mode {@code redis-server} processes, in place of the scheduler's API
 * in contexts with {@code test.heal-crash=true}. A deployed container runs at once on the loopback address, as one that
 * shares its node's network (host ports: the client's, then the cluster bus's), on whichever of {@link #NODES} holds
 * no live container of its anti-affinity group (else the least used). Removing one stops its server; an unknown one is
 * a 404, as the scheduler answers. Calls redis-ctl's healing does not make are refused, naming the method.
 */
@Factory
@Requires(property = "test.heal-crash", value = "true")
public class LocalScheduler {

    /** The nodes containers are placed on. */
    public static final List<String> NODES = List.of("node1", "node2", "node3");

    private final Map<Long, Schema.Container> containers = new ConcurrentHashMap<>();
    private final Map<Long, LocalRedis> servers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private final String nodeTimeout;

    LocalScheduler(RedisCtlConfig config) {
        this.nodeTimeout = String.valueOf(config.nodeTimeout().toMillis());
    }

    @Singleton
    @Replaces(SchedulerClient.class)
    SchedulerClient client() {
        return (SchedulerClient) Proxy.newProxyInstance(SchedulerClient.class.getClassLoader(),
                new Class<?>[] {SchedulerClient.class}, (proxy, method, args) -> answer(proxy, method, args));
    }

    private Object answer(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "deploy" -> HttpResponse.ok(deploy((String) args[0], (String) args[1], (Schema.Deploy) args[2]));
            case "container" -> containers.get((Long) args[1]);
            case "remove" -> remove((Long) args[1]);
            case "toString" -> "LocalScheduler's client";
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            default -> throw new UnsupportedOperationException("the local scheduler does not answer "
                    + method.getName() + ": add it to LocalScheduler if redis-ctl needs it here");
        };
    }

    /**
     * A container of {@code app} for a server started elsewhere (a member of a cluster formed before redis-ctl knew
     * it), running on {@code node}; removing it stops the server.
     */
    public Schema.Container add(String tenant, String app, String node, String role, String group, LocalRedis server) {
        return put(tenant, app, node, role, group, server);
    }

    /** The container's server was killed: its container died, as its engine reports it (exit code 137). */
    public void killed(long container) {
        servers.get(container).kill();
        containers.computeIfPresent(container, (id, c) -> with(c, ContainerState.DIED, false, 137));
    }

    /** The containers that are, or are about to be, running. */
    public List<Schema.Container> live() {
        return containers.values().stream().filter(Schema.Container::live)
                .sorted(Comparator.comparing(Schema.Container::id)).toList();
    }

    private List<Schema.Container> deploy(String tenant, String app, Schema.Deploy request) {
        String group = request.groups() == null || request.groups().isEmpty() ? null : request.groups().get(0);
        List<Schema.Container> deployed = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            LocalRedis server = LocalRedis.start(true, "--cluster-node-timeout", nodeTimeout);
            deployed.add(put(tenant, app, node(group), request.role(), group, server));
        }
        return deployed;
    }

    /** The node without a live container of {@code group}, else the one with the fewest live containers. */
    private String node(String group) {
        List<Schema.Container> live = live();
        return NODES.stream().min(Comparator
                .comparing((String n) -> live.stream().anyMatch(c -> n.equals(c.node())
                        && Objects.equals(group, c.group())))
                .thenComparing(n -> live.stream().filter(c -> n.equals(c.node())).count())).orElseThrow();
    }

    private Schema.Container put(String tenant, String app, String node, String role, String group,
            LocalRedis server) {
        long id = ids.incrementAndGet();
        Instant now = Instant.now();
        Schema.Container c = new Schema.Container(id, app + "-" + id, app, tenant, "lab", node, role, group,
                ContainerState.RUNNING, true, null, List.of(server.port(), server.busPort()), "127.0.0.1", "0.1",
                null, 64L << 20, "64MiB", "local-" + server.port(), null, now, now);
        servers.put(id, server);
        containers.put(id, c);
        return c;
    }

    private HttpResponse<Schema.Removal> remove(long id) {
        Schema.Container c = containers.remove(id);
        if (c == null) {
            return HttpResponse.notFound();
        }
        servers.remove(id).close();
        return HttpResponse.ok(new Schema.Removal(id, true, "container " + c.name() + " removed"));
    }

    private static Schema.Container with(Schema.Container c, ContainerState state, boolean ready, Integer exitCode) {
        return new Schema.Container(c.id(), c.name(), c.app(), c.tenant(), c.pod(), c.node(), c.role(), c.group(),
                state, ready, c.address(), c.hostPorts(), c.nodeAddress(), c.cpu(), c.cpuset(), c.memory(),
                c.memoryText(), c.engineId(), exitCode, c.createdAt(), Instant.now());
    }

    @PreDestroy
    void stop() {
        servers.values().forEach(LocalRedis::close);
    }
}

package io.biu.redisctl.task;

import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.backup.LocalRedis;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A scheduler whose containers are local cluster-mode {@code redis-server} processes, in place of the scheduler's API
 * in contexts with {@code test.heal-crash=true}. A deployed container runs at once on the loopback address, as one that
 * shares its node's network (host ports: the client's, then the cluster bus's), on whichever of {@link #NODES} holds
 * no live container of its anti-affinity group (else the least used). Removing one stops its server; an unknown one is
 * a 404, as the scheduler answers. Calls redis-ctl's formation and healing do not make are refused, naming the method.
 *
 * <p>Keyed volumes are directories, one per app and key under a temporary directory: a container deployed with a key
 * goes to the node of the key's volume if it has one (else it gets one where it is placed), and its server keeps its
 * files there ({@code --dir}), persisting every write (append-only file, fsync always: what is tested is the restart,
 * not fsync timing). A removed container's directory stays; {@code volumes} lists them, and deleting a key removes its
 * directory, refused (409) while a container of the key exists, unless its removal was decided and waits for its
 * unreachable node: then the removal waits too (202) and the directory is moved out of the key's way, never mounted
 * again. A deployment may be pinned to a node; a node may be {@link #full}. {@link #calls} records the changes, in
 * order.
 */
@Factory
@Requires(property = "test.heal-crash", value = "true")
public class LocalScheduler {

    /** The nodes containers are placed on. */
    public static final List<String> NODES = List.of("node1", "node2", "node3");

    private final Map<Long, Schema.Container> containers = new ConcurrentHashMap<>();
    private final Map<Long, LocalRedis> servers = new ConcurrentHashMap<>();
    private final Map<String, Schema.Volume> volumes = new ConcurrentHashMap<>();
    /** Volumes of keys whose next container went to another node: no longer the newest of their key. */
    private final List<Schema.Volume> older = new CopyOnWriteArrayList<>();
    private final Set<String> full = ConcurrentHashMap.newKeySet();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final Set<Long> unreachable = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refusals = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong(1000);
    private final String nodeTimeout;
    private final Path volumeRoot;

    LocalScheduler(RedisCtlConfig config) throws IOException {
        this.nodeTimeout = String.valueOf(config.nodeTimeout().toMillis());
        this.volumeRoot = Files.createTempDirectory("biu-volumes");
    }

    @Singleton
    @Replaces(SchedulerClient.class)
    SchedulerClient client() {
        return (SchedulerClient) Proxy.newProxyInstance(SchedulerClient.class.getClassLoader(),
                new Class<?>[] {SchedulerClient.class}, (proxy, method, args) -> answer(proxy, method, args));
    }

    private Object answer(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "deploy" -> {
                if (refusals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    calls.add("deploy refused");
                    yield HttpResponse.unprocessableEntity().body(new SchedulerErrors.Body("no-capacity", "cannot "
                            + "place 1 container of " + args[1] + ": 0 would fit; of 3 nodes, 2 down, 1 already "
                            + "holding the container's anti-affinity group"));
                }
                Schema.Deploy request = (Schema.Deploy) args[2];
                if (request.node() != null && full.contains(request.node())) {
                    calls.add("deploy refused on " + request.node());
                    yield HttpResponse.unprocessableEntity().body(new SchedulerErrors.Body("no-capacity", "pinned to "
                            + "node '" + request.node() + "': cannot place " + request.count() + " container of "
                            + args[1] + ": 0 would fit; of 1 node, 1 without room"));
                }
                yield HttpResponse.ok(deploy((String) args[0], (String) args[1], request));
            }
            case "container" -> containers.get((Long) args[1]);
            case "containers" -> containers.values().stream().filter(c -> c.app().equals(args[1]))
                    .sorted(Comparator.comparing(Schema.Container::id)).toList();
            case "remove" -> remove((Long) args[1]);
            case "volumes" -> Stream.concat(volumes.values().stream(), older.stream())
                    .filter(v -> v.app().equals(args[1])).sorted(Comparator.comparing(Schema.Volume::key)).toList();
            case "deleteVolume" -> deleteVolume((String) args[1], (String) args[2]);
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
        return put(tenant, app, node, role, group, null, server);
    }

    /**
     * The same, mounting the volume of {@code key} on {@code node} (recorded, though the server keeps its files where
     * it was started).
     */
    public Schema.Container add(String tenant, String app, String node, String role, String group, String key,
            LocalRedis server) {
        Path dir = volumeDir(app, key);
        mkdirs(dir);
        volumes.put(app + "/" + key, new Schema.Volume(app, tenant, key, node, dir.toString(), Instant.now(), false,
                null));
        return put(tenant, app, node, role, group, key, server);
    }

    /**
     * A volume of {@code key} left on {@code node} by a container that is gone: whatever its directory ({@link
     * #volumeDir}) holds, as the engine would have left it.
     */
    public void leftVolume(String tenant, String app, String key, String node) {
        Path dir = volumeDir(app, key);
        mkdirs(dir);
        volumes.put(app + "/" + key, new Schema.Volume(app, tenant, key, node, dir.toString(), Instant.now(), false,
                null));
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

    private synchronized List<Schema.Container> deploy(String tenant, String app, Schema.Deploy request) {
        String group = request.groups() == null || request.groups().isEmpty() ? null : request.groups().get(0);
        List<String> keys = request.volumes() == null ? List.of() : request.volumes();
        for (String key : keys) {
            mounting(app, key).ifPresent(c -> {
                throw new IllegalStateException("volume key '" + key + "' of app '" + app + "' is mounted by "
                        + "container " + c.name());
            });
        }
        List<Schema.Container> deployed = new ArrayList<>();
        for (int i = 0; i < request.count(); i++) {
            String key = keys.isEmpty() ? null : keys.get(i);
            Schema.Volume volume = key == null ? null : volumes.get(app + "/" + key);
            String node;
            if (request.node() != null) {
                if (volume != null && !volume.node().equals(request.node())) {
                    throw new IllegalStateException("the local scheduler does not pin key " + key + " to "
                            + request.node() + " while its volume is on " + volume.node());
                }
                node = request.node();
            } else if (volume != null && full.contains(volume.node())) {
                // placed elsewhere, on a new, empty volume of the key, which is its newest from now on
                node = node(group);
                Path aside = volumeRoot.resolve(app).resolve(key + "@" + volume.node());
                move(volumeDir(app, key), aside);
                older.add(new Schema.Volume(app, tenant, key, volume.node(), aside.toString(), volume.createdAt(),
                        false, null));
                volumes.remove(app + "/" + key);
                volume = null;
            } else {
                node = volume != null ? volume.node() : node(group);
            }
            LocalRedis server;
            if (key == null) {
                server = LocalRedis.start(true, "--cluster-node-timeout", nodeTimeout);
            } else {
                Path dir = volumeDir(app, key);
                if (volume == null) {
                    mkdirs(dir);
                    volumes.put(app + "/" + key, new Schema.Volume(app, tenant, key, node, dir.toString(), Instant.now(),
                            false, null));
                }
                server = LocalRedis.start(true, "--cluster-node-timeout", nodeTimeout, "--dir", dir.toString(),
                        "--appendonly", "yes", "--appendfsync", "always");
            }
            calls.add("deploy " + (key == null ? "" : key + " ") + "on " + node);
            deployed.add(put(tenant, app, node, request.role(), group, key, server));
        }
        return deployed;
    }

    /** The changes asked for so far, in order: "deploy s1-0 on node2", "delete volume s1-0", "remove 1004". */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    /** The directory of an app's key's volume (whether it exists or not). */
    public Path volumeDir(String app, String key) {
        return volumeRoot.resolve(app).resolve(key);
    }

    /** Where the volume of a key goes when its removal waits for its node: out of the key's way. */
    public Path pendingDir(String app, String key) {
        return volumeRoot.resolve(app).resolve(key + ".removing");
    }

    /** A container of the key on a node that answers: one whose removal waits for its node mounts nothing here. */
    private Optional<Schema.Container> mounting(String app, String key) {
        return live().stream().filter(c -> c.app().equals(app) && key.equals(c.volumeKey())
                && !unreachable.contains(c.id())).findFirst();
    }

    private synchronized HttpResponse<Schema.VolumeRemoval> deleteVolume(String app, String key) {
        calls.add("delete volume " + key);
        // a container of the key whose removal was decided does not hold the volume back, as the scheduler has it
        Optional<Schema.Container> mounted = containers.values().stream()
                .filter(c -> c.app().equals(app) && key.equals(c.volumeKey()) && c.state() != ContainerState.REMOVING)
                .findFirst();
        if (mounted.isPresent()) {
            return HttpResponse.<Schema.VolumeRemoval>status(HttpStatus.CONFLICT).body(new Schema.VolumeRemoval(app,
                    key, false, List.of(), "volume key '" + key + "' is still mounted by " + mounted.get().name()));
        }
        for (Schema.Volume aside : older) {
            if (aside.app().equals(app) && aside.key().equals(key)) {
                older.remove(aside);
                delete(Path.of(aside.name()));
            }
        }
        Schema.Volume volume = volumes.remove(app + "/" + key);
        if (volume == null) {
            return HttpResponse.notFound();
        }
        Optional<Schema.Container> leaving = containers.values().stream()
                .filter(c -> c.app().equals(app) && key.equals(c.volumeKey())).findFirst();
        if (leaving.isPresent()) {
            // removed once its node answers, which it never does here; never mounted again meanwhile
            move(volumeDir(app, key), pendingDir(app, key));
            return HttpResponse.accepted().body(new Schema.VolumeRemoval(app, key, false, List.of(volume.node()),
                    "the volumes of key '" + key + "' on " + volume.node() + " are removed once that node answers"));
        }
        delete(volumeDir(app, key));
        return HttpResponse.ok(new Schema.VolumeRemoval(app, key, true, List.of(), "the volumes of key '" + key
                + "' are removed"));
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The node has no room left: a deployment pinned to it is refused (422), and a key whose volume is there goes to
     * another node, on a new, empty volume of the key (the old one listed beside it), as the scheduler does.
     */
    public void full(String node) {
        full.add(node);
    }

    /** The node has room again. */
    public void room(String node) {
        full.remove(node);
    }

    /**
     * The node with room and without a live container of {@code group}, else the one with room and the fewest live
     * containers.
     */
    private String node(String group) {
        List<Schema.Container> live = live();
        return NODES.stream().filter(n -> !full.contains(n)).min(Comparator
                .comparing((String n) -> live.stream().anyMatch(c -> n.equals(c.node())
                        && Objects.equals(group, c.group())))
                .thenComparing(n -> live.stream().filter(c -> n.equals(c.node())).count())).orElseThrow();
    }

    private Schema.Container put(String tenant, String app, String node, String role, String group,
            @Nullable String key, LocalRedis server) {
        long id = ids.incrementAndGet();
        Instant now = Instant.now();
        Schema.Container c = new Schema.Container(id, app + "-" + id, app, tenant, "lab", node, role, group,
                ContainerState.RUNNING, true, null, List.of(server.port(), server.busPort()), "127.0.0.1", "0.1",
                null, 64L << 20, "64MiB", "local-" + server.port(), null, now, now, key);
        servers.put(id, server);
        containers.put(id, c);
        return c;
    }

    /** The container was removed out of band (by an operator, say): gone, as if redis-ctl had removed it. */
    public void removed(long container) {
        remove(container);
    }

    /**
     * The container's node stops answering for good: removing the container is pending (202, state removing), and the
     * container stays, holding its volume key.
     */
    public void unreachable(long container) {
        unreachable.add(container);
    }

    /** The next {@code deploys} deployments find no node to take them: 422, as the scheduler answers. */
    public void refuse(int deploys) {
        refusals.set(deploys);
    }

    private HttpResponse<Schema.Removal> remove(long id) {
        calls.add("remove " + id);
        if (unreachable.contains(id)) {
            Schema.Container c = containers.computeIfPresent(id, (k, v) -> with(v, ContainerState.REMOVING, false,
                    v.exitCode()));
            return c == null ? HttpResponse.notFound() : HttpResponse.accepted().body(new Schema.Removal(id, false,
                    "container " + c.name() + " is removed once its node answers"));
        }
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
                c.memoryText(), c.engineId(), exitCode, c.createdAt(), Instant.now(), c.volumeKey());
    }

    @PreDestroy
    void stop() {
        servers.values().forEach(LocalRedis::close);
        try (var files = Files.walk(volumeRoot)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }
}

package io.biu.scheduler.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.core.InvocationBuilder;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import io.biu.scheduler.ContainerLimits;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.core.annotation.Nullable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * {@link Engine} over docker-java: TCP endpoints use TLS with the certificates in {@code tlsDir}; unix
 * sockets need none.
 */
final class DockerEngine implements Engine {

    /**
     * Three clients, by how long a call may take: changes (create, start, stop with a grace period, remove,
     * pulls) may take minutes; reads the agents make all the time (list, inspect, stats, probes) must fail
     * fast on a silent host, or one partitioned node would hold its agent for minutes; heartbeats must
     * answer within a second.
     */
    private static final Duration QUICK_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration PING_TIMEOUT = Duration.ofSeconds(1);
    /** Closes clients replaced after an engine restart, once their calls in flight are over. */
    private static final java.util.concurrent.ScheduledExecutorService CLOSER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "docker-client-closer");
                t.setDaemon(true);
                return t;
            });

    private final String endpoint;
    private final ContainerLimits limits;
    private final DockerClientConfig config;
    private final Duration timeout;
    private volatile DockerClient docker;
    private volatile DockerClient quick;
    private volatile DockerClient pinger;
    private long connectedAt;

    DockerEngine(String endpoint, @Nullable Path tlsDir, Duration timeout, ContainerLimits limits) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.limits = limits;
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(endpoint)
                .withDockerTlsVerify(endpoint.startsWith("tcp://") && tlsDir != null);
        if (endpoint.startsWith("tcp://") && tlsDir != null) {
            config.withDockerCertPath(tlsDir.toString());
        }
        this.config = config.build();
        connect();
    }

    private void connect() {
        docker = client(config, Duration.ofSeconds(5), timeout, 32);
        quick = client(config, Duration.ofSeconds(2), QUICK_TIMEOUT, 16);
        pinger = client(config, PING_TIMEOUT, PING_TIMEOUT, 2);
        connectedAt = System.nanoTime();
    }

    /**
     * Replaces the clients, and so their connection pools: after the engine restarted every pooled
     * connection is dead. The old clients are closed a minute later, once calls in flight on them are over.
     */
    private synchronized void reconnect() {
        if (System.nanoTime() - connectedAt < TimeUnit.SECONDS.toNanos(1)) {
            return; // another thread just did
        }
        List<DockerClient> old = List.of(docker, quick, pinger);
        connect();
        CLOSER.schedule(() -> old.forEach(DockerEngine::closeQuietly), 1, TimeUnit.MINUTES);
    }

    private static void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException e) {
            // a client that cannot close cleanly leaves nothing to clean up
        }
    }

    /**
     * A client whose calls give up: {@code connect} bounds the TCP connect and, since the HTTP client's own timeouts
     * do not cover it, the TLS handshake ({@link HandshakeDeadline}); {@code response} bounds each wait for an answer.
     */
    private static DockerClient client(DockerClientConfig config, Duration connect, Duration response, int max) {
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(HandshakeDeadline.of(config.getSSLConfig(), connect))
                .maxConnections(max)
                .connectionTimeout(connect)
                .responseTimeout(response)
                .build();
        return DockerClientImpl.getInstance(config, http);
    }

    /**
     * Runs an engine call, turning docker-java's failures into the scheduler's. A call that met a pooled
     * connection the engine had already closed (an engine that restarted since: "failed to respond") never
     * reached it: the pools are replaced and the call is sent once more, on a fresh connection.
     */
    private <T> T call(String what, Supplier<T> action) {
        try {
            return attempt(what, action);
        } catch (SchedulerException e) {
            if (staleConnection(e)) {
                reconnect();
                return attempt(what, action);
            }
            throw e;
        }
    }

    private static boolean staleConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.hc.core5.http.NoHttpResponseException) {
                return true;
            }
        }
        return false;
    }

    /** A failure to talk to the engine at all, as opposed to a request that could not be made. */
    private static boolean ioFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private <T> T attempt(String what, Supplier<T> action) {
        try {
            return action.get();
        } catch (NotFoundException | ConflictException e) {
            throw e;
        } catch (DockerException e) {
            throw new SchedulerException(SchedulerError.ENGINE_FAILED,
                    "the engine at " + endpoint + " refused to " + what + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (!ioFailure(e)) {
                throw new SchedulerException(SchedulerError.ENGINE_FAILED,
                        "could not ask the engine at " + endpoint + " to " + what + ": " + e, e);
            }
            throw new SchedulerException(SchedulerError.ENGINE_UNREACHABLE,
                    "the engine at " + endpoint + " did not answer (" + what + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Info info() {
        var info = call("report its info", () -> quick.infoCmd().exec());
        return new Info(info.getNCPU(), info.getMemTotal(), info.getDriver(), info.getServerVersion());
    }

    @Override
    public boolean ping() {
        try {
            pinger.pingCmd().exec();
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public int exec(String id, List<String> command, Duration timeout) {
        String exec = call("exec in " + id, () -> quick.execCreateCmd(id).withCmd(command.toArray(String[]::new))
                .withAttachStdout(true).withAttachStderr(true).exec().getId());
        call("exec in " + id, () -> {
            try {
                return quick.execStartCmd(exec).start().awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        });
        Long code = call("inspect exec in " + id, () -> quick.inspectExecCmd(exec).exec().getExitCodeLong());
        return code == null ? -1 : code.intValue();
    }

    @Override
    public Usage usage(String id) {
        Statistics s = call("read stats of " + id, () -> {
            InvocationBuilder.AsyncResultCallback<Statistics> callback = new InvocationBuilder.AsyncResultCallback<>();
            quick.statsCmd(id).withNoStream(true).exec(callback);
            try {
                if (!callback.awaitCompletion(5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no stats within 5 s");
                }
                Statistics result = callback.awaitResult();
                if (result == null) {
                    // Docker ends the response without a sample when the container stops meanwhile
                    throw new IllegalStateException("no stats: the container is not running");
                }
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } finally {
                try {
                    callback.close();
                } catch (IOException e) {
                    // the one-shot stream is over either way
                }
            }
        });
        return Stats.usage(s);
    }

    @Override
    public AutoCloseable watch(java.util.function.Consumer<ContainerEvent> listener, Runnable onClosed) {
        ResultCallback.Adapter<com.github.dockerjava.api.model.Event> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Event event) {
                var actor = event.getActor();
                Map<String, String> attributes = actor == null || actor.getAttributes() == null ? Map.of()
                        : actor.getAttributes();
                String exit = attributes.get("exitCode");
                listener.accept(new ContainerEvent(event.getAction(), event.getId(), attributes,
                        exit == null ? null : Integer.valueOf(exit)));
            }

            @Override
            public void onError(Throwable throwable) {
                onClosed.run();
            }

            @Override
            public void onComplete() {
                onClosed.run();
            }
        };
        docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("die", "oom", "start")
                .withLabelFilter("biu.container").exec(callback);
        return callback;
    }

    @Override
    public void ensureNetwork(String name, String subnet, String gateway, String parent, Map<String, String> labels) {
        List<Network> existing = call("list networks", () -> docker.listNetworksCmd().withNameFilter(name).exec())
                .stream().filter(n -> n.getName().equals(name)).toList();
        if (!existing.isEmpty()) {
            Network n = existing.get(0);
            boolean same = "macvlan".equals(n.getDriver())
                    && parent.equals(n.getOptions().get("parent"))
                    && n.getIpam().getConfig().stream().anyMatch(c -> subnet.equals(c.getSubnet()));
            if (!same) {
                throw new SchedulerException(SchedulerError.IN_USE, "the engine at " + endpoint + " already has a "
                        + "network '" + name + "' with other settings: remove it or use another pod");
            }
            return;
        }
        call("create network " + name, () -> docker.createNetworkCmd()
                .withName(name)
                .withDriver("macvlan")
                .withOptions(Map.of("parent", parent))
                .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(subnet)
                        .withGateway(gateway)))
                .withLabels(labels)
                .exec());
    }

    @Override
    public String create(Spec spec) {
        if (spec.volume() != null && !spec.volume().labels().isEmpty()) {
            // a key's volume is made beforehand, to carry its labels; an existing one is returned as it is
            String volume = spec.volume().name();
            try {
                call("create volume " + volume, () -> docker.createVolumeCmd().withName(volume)
                        .withLabels(spec.volume().labels()).exec());
            } catch (ConflictException | NotFoundException refused) {
                throw new SchedulerException(SchedulerError.ENGINE_FAILED, "the engine at " + endpoint
                        + " refused to create volume " + volume + ": " + refused.getMessage(), refused);
            }
        }
        try {
            return call("create container " + spec.name(), () -> createCmd(spec).exec().getId());
        } catch (NotFoundException missingImage) {
            pull(spec.image());
            return call("create container " + spec.name(), () -> createCmd(spec).exec().getId());
        } catch (ConflictException nameTaken) {
            throw new SchedulerException(SchedulerError.ENGINE_FAILED, "the engine at " + endpoint
                    + " already has a container named " + spec.name(), nameTaken);
        }
    }

    private CreateContainerCmd createCmd(Spec spec) {
        HostConfig host = hostConfig(spec, limits);
        CreateContainerCmd cmd = docker.createContainerCmd(spec.image())
                .withName(spec.name())
                .withLabels(spec.labels())
                .withEnv(spec.env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                .withStopTimeout((int) spec.stopGrace().toSeconds())
                .withHostConfig(host);
        if (!spec.command().isEmpty()) {
            cmd.withCmd(spec.command());
        }
        if (spec.network() != null) {
            // on the node's own network (host mode) the container keeps the node's host name
            cmd.withHostName(spec.name());
        }
        if (spec.address() != null) {
            cmd.withIpv4Address(spec.address());
        }
        Hardening hardening = spec.hardening();
        if (hardening.user() != null) {
            cmd.withUser(hardening.user());
        }
        if (hardening.readOnlyRoot() && !hardening.writableDirs().isEmpty()) {
            // anonymous volumes: removed with the container
            cmd.withVolumes(hardening.writableDirs().stream().map(Volume::new).toList());
        }
        return cmd;
    }

    /**
     * The engine's side of a container. An init process as PID 1 passes SIGTERM on, so programs that do not expect
     * to be PID 1 (busybox httpd, shells) still stop within their grace period instead of being killed at its end.
     * A container that exits on its own (a crash, a kill for memory) or with its engine restarts in place, with its
     * volume: only a stop the scheduler asked for keeps it stopped. Every container loses all capabilities but those
     * its app is given back, cannot gain privileges (set-uid programs, file capabilities), has a pids limit and
     * rotated logs.
     */
    static HostConfig hostConfig(Spec spec, ContainerLimits limits) {
        Hardening hardening = spec.hardening();
        HostConfig host = HostConfig.newHostConfig()
                .withInit(true)
                .withRestartPolicy(RestartPolicy.unlessStoppedRestart())
                .withCpuShares(spec.cpu().cpuShares())
                .withMemory(spec.memory())
                .withMemorySwap(spec.memory())
                .withNetworkMode(spec.network() == null ? "host" : spec.network())
                .withCapDrop(Capability.ALL)
                .withSecurityOpts(List.of("no-new-privileges:true"))
                .withPidsLimit((long) limits.pidsLimit())
                .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE, Map.of(
                        "max-size", limits.logMaxSize(), "max-file", String.valueOf(limits.logMaxFiles()))));
        if (!hardening.capabilities().isEmpty()) {
            host.withCapAdd(hardening.capabilities().stream().map(Capability::valueOf).toArray(Capability[]::new));
        }
        if (hardening.readOnlyRoot()) {
            // programs' scratch space (the JVM's, native libraries unpacked by Netty, which must be mapped
            // executable: Docker's default for a tmpfs is noexec): small, in the memory limit
            host.withReadonlyRootfs(true)
                    .withTmpFs(Map.of("/tmp", "rw,exec,nosuid,nodev,size=" + limits.tmpSize() + "m,mode=1777"));
        }
        if (spec.cpu().cpusetCpus() != null) {
            host.withCpusetCpus(spec.cpu().cpusetCpus());
        }
        if (spec.cpu().cpuQuota() > 0) {
            host.withCpuPeriod(spec.cpu().cpuPeriod()).withCpuQuota(spec.cpu().cpuQuota());
        }
        if (spec.volume() != null) {
            // Docker makes a missing named volume on first use, without labels
            host.withBinds(new Bind(spec.volume().name(), new Volume(spec.volume().path())));
        }
        return host;
    }

    private void pull(String image) {
        call("pull " + image, () -> {
            try {
                return docker.pullImageCmd(image).start().awaitCompletion(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pulling " + image, e);
            }
        });
    }

    @Override
    public void copyFiles(String id, List<File> files, Hardening hardening) {
        if (files.isEmpty()) {
            return;
        }
        // The engine gives a file the owner its tar entry names: the user the container runs as (its app's, else
        // its image's when that is numeric; root otherwise). A read-only root takes nothing: each directory is
        // written on its own, into the volume it is (or the data volume it is in).
        String owner = hardening.user() != null ? hardening.user() : numericUserOf(id);
        Map<String, List<File>> byPath = hardening.readOnlyRoot()
                ? files.stream().collect(Collectors.groupingBy(f -> f.path().substring(0, f.path().lastIndexOf('/')),
                        TreeMap::new, Collectors.toList()))
                : Map.of("", files);
        byPath.forEach((dir, inDir) -> {
            byte[] tar = tar(dir, inDir, owner);
            call("copy files into " + id, () -> {
                docker.copyArchiveToContainerCmd(id).withTarInputStream(new ByteArrayInputStream(tar))
                        .withRemotePath(dir.isEmpty() ? "/" : dir).exec();
                return null;
            });
        });
    }

    @Override
    public void start(String id) {
        call("start " + id, () -> {
            try {
                docker.startContainerCmd(id).exec();
            } catch (NotModifiedException alreadyRunning) {
                // started before: nothing to do
            }
            return null;
        });
    }

    @Override
    public void stop(String id, Duration grace) {
        call("stop " + id, () -> {
            try {
                docker.stopContainerCmd(id).withTimeout((int) grace.toSeconds()).exec();
            } catch (NotModifiedException alreadyStopped) {
                // stopped before: nothing to do
            } catch (NotFoundException gone) {
                // nothing left to stop
            }
            return null;
        });
    }

    /**
     * Removes the container, then its own data volume (Docker removes only anonymous ones); the volume of a key it
     * mounted stays.
     */
    @Override
    public void remove(String id) {
        call("remove " + id, () -> {
            List<String> volumes;
            try {
                InspectContainerResponse container = docker.inspectContainerCmd(id).exec();
                String own = DataVolume.ownName(container.getName().replaceFirst("^/", ""));
                var mounts = container.getMounts();
                volumes = mounts == null ? List.of() : mounts.stream()
                        .filter(m -> own.equals(m.getName())).map(m -> m.getName()).toList();
                docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
            } catch (NotFoundException gone) {
                return null;
            }
            for (String volume : volumes) {
                try {
                    docker.removeVolumeCmd(volume).exec();
                } catch (NotFoundException gone) {
                    // removed with the container (an anonymous one) or before
                }
            }
            return null;
        });
    }

    @Override
    public void removeVolume(String name) {
        try {
            call("remove volume " + name, () -> {
                try {
                    docker.removeVolumeCmd(name).exec();
                } catch (NotFoundException gone) {
                    // removed before
                }
                return null;
            });
        } catch (ConflictException inUse) {
            throw new SchedulerException(SchedulerError.ENGINE_FAILED, "the engine at " + endpoint
                    + " refused to remove volume " + name + ": a container still mounts it", inUse);
        }
    }

    @Override
    public Optional<Container> inspect(String idOrName) {
        try {
            InspectContainerResponse r = call("inspect " + idOrName, () -> quick.inspectContainerCmd(idOrName).exec());
            var state = r.getState();
            return Optional.of(new Container(r.getId(), r.getName().replaceFirst("^/", ""),
                    Boolean.TRUE.equals(state.getRunning()),
                    state.getExitCodeLong() == null ? 0 : state.getExitCodeLong().intValue(),
                    Boolean.TRUE.equals(state.getOOMKilled()),
                    state.getPidLong() == null ? 0 : state.getPidLong(),
                    r.getConfig().getLabels() == null ? Map.of() : r.getConfig().getLabels()));
        } catch (NotFoundException gone) {
            return Optional.empty();
        }
    }

    @Override
    public List<Container> list(Map<String, String> labels) {
        List<Container> result = new ArrayList<>();
        for (var c : call("list containers", () -> quick.listContainersCmd().withShowAll(true)
                .withLabelFilter(labels).exec())) {
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0];
            result.add(new Container(c.getId(), name.replaceFirst("^/", ""), "running".equals(c.getState()), 0, false,
                    0, c.getLabels() == null ? Map.of() : c.getLabels()));
        }
        return result;
    }

    @Override
    public void close() {
        closeQuietly(docker);
        closeQuietly(quick);
        closeQuietly(pinger);
    }

    /** The files as a tar archive, the form Docker copies into a container. */
    /** The user a created container runs as, when numeric ({@code uid} or {@code uid:gid}); null otherwise. */
    private @Nullable String numericUserOf(String id) {
        String user = call("inspect " + id, () -> quick.inspectContainerCmd(id).exec()).getConfig().getUser();
        return user != null && user.matches(Schema.Security.USER) ? user : null;
    }

    /** A tar of files under {@code dir} (their paths made relative to it), owned by {@code user} or root. */
    static byte[] tar(String dir, List<File> files, @Nullable String user) {
        int uid = 0;
        int gid = 0;
        if (user != null) {
            String[] ids = user.split(":");
            uid = Integer.parseInt(ids[0]);
            gid = ids.length > 1 ? Integer.parseInt(ids[1]) : uid;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (File f : files) {
                if (!f.path().startsWith(dir + "/")) {
                    throw new IllegalArgumentException(f.path() + " is not in " + dir);
                }
                TarArchiveEntry entry = new TarArchiveEntry(f.path().substring(dir.length() + 1));
                entry.setIds(uid, gid);
                entry.setMode(f.mode());
                entry.setSize(f.content().length);
                tar.putArchiveEntry(entry);
                tar.write(f.content());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build a tar of " + files.size() + " files", e);
        }
        return bytes.toByteArray();
    }
}

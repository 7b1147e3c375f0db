package io.biu.scheduler.engine;

import io.biu.scheduler.cpu.DockerCpu;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One node's container engine, as the scheduler uses it. Failures surface as
 * {@link io.biu.scheduler.error.SchedulerException} with {@code ENGINE_UNREACHABLE} (no answer) or
 * {@code ENGINE_FAILED} (an answer that refuses).
 */
public interface Engine extends AutoCloseable {

    /** What the engine reports about its host. */
    record Info(int cores, long memory, String storageDriver, String version) {
    }

    /** A file delivered into a container before it starts. */
    record File(String path, int mode, byte[] content) {
        public File {
            Objects.requireNonNull(path, "path");
            content = content.clone();
        }
    }

    /**
     * A named data volume mounted at {@code path}. A container's own volume is named {@code <container name>-data}
     * and goes with the container; any other (a key's) is created with {@code labels} if missing and outlives it.
     */
    record DataVolume(String name, String path, Map<String, String> labels) {
        public DataVolume {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            labels = Map.copyOf(labels);
        }

        /** The volume of a container of its own, named after it. */
        public static DataVolume own(String container, String path) {
            return new DataVolume(ownName(container), path, Map.of());
        }

        /** The name of a container's own volume. */
        public static String ownName(String container) {
            return container + "-data";
        }
    }

    /**
     * How a container's processes run, beyond what every container gets from its engine (no capabilities, no
     * privilege gain, a pids limit, rotated logs).
     *
     * @param user          numeric {@code uid} or {@code uid:gid}, or null for the image's; files are owned by it
     * @param readOnlyRoot  the root file system is read-only: the volume, {@code writableDirs} and a small {@code /tmp}
     *                      are the only places to write
     * @param capabilities  the capabilities given back
     * @param writableDirs      directories to write on a read-only root, each an anonymous volume kept while the
     *                      container is: those of its files (files cannot be copied into a read-only root) and the
     *                      ones its app writes to
     */
    record Hardening(@Nullable String user, boolean readOnlyRoot, List<String> capabilities, List<String> writableDirs) {
        public static final Hardening NONE = new Hardening(null, false, List.of(), List.of());

        public Hardening {
            capabilities = List.copyOf(capabilities);
            writableDirs = List.copyOf(writableDirs);
        }
    }

    /**
     * A container to create.
     *
     * @param network     the MacVLAN network's name, or null for the host's network
     * @param address     the container's address on that network
     * @param volume      the data volume it mounts, or null for none
     */
    record Spec(String name, String image, List<String> command, Map<String, String> env, Map<String, String> labels,
            @Nullable String network, @Nullable String address, DockerCpu cpu, long memory,
            @Nullable DataVolume volume, Duration stopGrace, Hardening hardening) {
        public Spec {
            command = List.copyOf(command);
            env = Map.copyOf(env);
            labels = Map.copyOf(labels);
            Objects.requireNonNull(hardening, "hardening");
        }
    }

    /** A container as the engine sees it. */
    record Container(String id, String name, boolean running, int exitCode, boolean oomKilled, long pid,
            Map<String, String> labels) {
    }

    /** Usage of one container at one moment, as the engine reports it. */
    record Usage(double cpuPercent, long memoryBytes, long memoryLimit, long netRxBytes, long netTxBytes,
            long blockReadBytes, long blockWriteBytes) {
    }

    /** Something that happened to a container: {@code die} (with exit code) or {@code oom}. */
    record ContainerEvent(String action, String containerId, Map<String, String> labels, @Nullable Integer exitCode) {
    }

    Info info();

    /** Whether the engine answers, within about a second. */
    boolean ping();

    /** Runs a command inside a running container and returns its exit code. */
    int exec(String id, List<String> command, Duration timeout);

    /** Current usage of a running container. */
    Usage usage(String id);

    /**
     * Follows the engine's container events ({@code die}, {@code oom}, {@code start}) of containers carrying the label
     * {@code biu.container}; close the returned handle to stop. {@code onClosed} runs when the stream ends
     * for any reason, so the caller can follow again.
     */
    AutoCloseable watch(java.util.function.Consumer<ContainerEvent> listener, Runnable onClosed);

    /** Creates the MacVLAN network if it is missing; fails if one of that name differs. */
    void ensureNetwork(String name, String subnet, String gateway, String parent, Map<String, String> labels);

    /** Creates (does not start) a container and returns its id; pulls the image first if it is missing. */
    String create(Spec spec);

    /**
     * Delivers files into a created container, owned by the user it runs as (the spec's, else its image's when
     * numeric, else root); into the directories' own volumes when its root is read-only.
     */
    void copyFiles(String id, List<File> files, Hardening hardening);

    void start(String id);

    /** Stops a container: SIGTERM, then SIGKILL after the grace period. Stopping a stopped one is fine. */
    void stop(String id, Duration grace);

    /**
     * Removes a container and its own data volume ({@link DataVolume#own}); a key's volume it mounted stays. Removing
     * one that is gone is fine.
     */
    void remove(String id);

    /**
     * Removes a named volume; removing one that is gone is fine. Fails ({@code ENGINE_FAILED}) while a container,
     * running or not, mounts it.
     */
    void removeVolume(String name);

    Optional<Container> inspect(String idOrName);

    /** Containers, running or not, carrying every given label. */
    List<Container> list(Map<String, String> labels);

    @Override
    void close();
}

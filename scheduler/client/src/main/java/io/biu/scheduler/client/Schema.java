package io.biu.scheduler.client;

import io.biu.scheduler.client.api.Wire;
import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scheduler's JSON documents, as the scheduler writes them and every caller reads them: one record per document,
 * grouped by what they describe (apps, containers and capacity; pods; nodes; tokens; events). Callers ignore fields
 * they do not know, so documents may grow. One file, because together they are the API's vocabulary.
 */
public final class Schema {

    private Schema() {
    }

    // ---- apps

    /** A secret file copied into each container before it starts; {@code content} is base64, {@code mode} octal. */
    @Serdeable
    public record FileSpec(String path, String content, @Nullable String mode) {
    }

    /** Ready when a TCP connect to {@code tcp} succeeds, or when {@code command} exits 0 inside the container. */
    @Serdeable
    public record Probe(@Nullable Integer tcp, @Nullable List<String> command, @Nullable Integer periodSeconds) {
    }

    /**
     * How an app's processes run, beyond what every container gets (no capabilities, no privilege gain, a pids
     * limit, rotated logs). {@code user}: a numeric {@code uid} or {@code uid:gid} to run as instead of the image's
     * user; secret files are then owned by it. {@code readOnlyRoot}: the root file system is read-only; only the
     * volume, the secret files' directories, the {@code writable} directories (kept while the container is, like
     * a writable root) and a small {@code /tmp} can be written. {@code capabilities}: the few a program may be given
     * back ({@link #CAPABILITIES}).
     */
    @Serdeable
    public record Security(@Nullable String user, @Nullable Boolean readOnlyRoot, @Nullable List<String> capabilities,
            @Nullable List<String> writable) {

        /** The capabilities an app may ask for: binding low ports, and changing to another user or owner. */
        public static final List<String> CAPABILITIES = List.of("NET_BIND_SERVICE", "CHOWN", "SETUID", "SETGID",
                "FOWNER", "DAC_OVERRIDE", "KILL");

        /** What a user looks like: a numeric uid, or uid:gid. */
        public static final String USER = "[0-9]{1,9}(:[0-9]{1,9})?";

        /** Runs as {@code user} on a read-only root where only {@code writable} (and files' places) can be written. */
        public static Security locked(String user, String... writable) {
            return new Security(user, true, List.of(), List.of(writable));
        }

        public boolean readOnly() {
            return Boolean.TRUE.equals(readOnlyRoot);
        }
    }

    /** An app as asked for ({@code POST /apps}): a container template on a pod granted to the tenant. */
    @Serdeable
    public record AppSpec(String name, String pod, String image, @Nullable List<String> command,
            @Nullable Map<String, String> env, BigDecimal cpu, String memory, @Nullable String antiAffinity,
            @Nullable Map<String, String> nodeSelector, @Nullable Map<String, String> labels, @Nullable Probe probe,
            @Nullable List<FileSpec> files, @Nullable String volume, @Nullable Integer ports,
            @Nullable Integer stopGraceSeconds, @Nullable Security security) {

        @Creator
        public AppSpec {
        }

        /** An app run as its image says, but for what every container gets. */
        public AppSpec(String name, String pod, String image, @Nullable List<String> command,
                @Nullable Map<String, String> env, BigDecimal cpu, String memory, @Nullable String antiAffinity,
                @Nullable Map<String, String> nodeSelector, @Nullable Map<String, String> labels,
                @Nullable Probe probe, @Nullable List<FileSpec> files, @Nullable String volume,
                @Nullable Integer ports, @Nullable Integer stopGraceSeconds) {
            this(name, pod, image, command, env, cpu, memory, antiAffinity, nodeSelector, labels, probe, files, volume,
                    ports, stopGraceSeconds, null);
        }
    }

    /** An app: its template, with the paths of its secret files but never their content. */
    @Serdeable
    public record App(long id, String tenant, String name, String pod, String image, List<String> command,
            @Nullable Map<String, String> env, int cpuPieces, long memory, @Nullable String memoryText,
            @Nullable String antiAffinity, @Nullable Map<String, String> nodeSelector, Map<String, String> labels,
            @Nullable Probe probe, @Nullable List<String> files, @Nullable String volume, int ports,
            int stopGraceSeconds, @Nullable Security security, @Nullable Instant createdAt,
            @Nullable String managedBy) {
    }

    // ---- containers

    /**
     * Deploy {@code count} containers of an app ({@code POST /apps/{app}/containers}); those sharing a group never
     * share a node. {@code strategy}: spread (default), fill, each-node or binpack.
     *
     * <p>{@code volumes}, for an app with a {@code volume} path: one key per container ({@link #VOLUME_KEY}), naming
     * the data volume it mounts there. A key's volume outlives its containers: the next container of the key goes to
     * the node holding it when that node is up and has room (the data is there), and gets a new, empty volume on
     * another node otherwise. Keys' volumes are listed and removed under {@code /apps/{app}/volumes}. Without
     * {@code volumes}, each container's volume is its own and goes with it.
     *
     * <p>{@code node} pins the deployment to one node of the app's pod: every container goes there or none is placed
     * (422, with why the node cannot take it: down, cordoned, full, already holding a group). For a key that must be
     * mounted where its volume is, or not at all: unpinned, a key whose node cannot take it gets a new, empty volume
     * elsewhere, which is then the newest.
     */
    @Serdeable
    public record Deploy(int count, @Nullable String strategy, @Nullable List<String> groups, @Nullable String role,
            @Nullable Map<String, String> nodeSelector, @Nullable List<String> volumes, @Nullable String node) {

        /** What a volume key looks like: 1 to 40 lower-case letters, digits and '-', not starting with '-'. */
        public static final String VOLUME_KEY = "[a-z0-9][a-z0-9-]{0,39}";

        @Creator
        public Deploy {
        }

        /** A deployment placed on any node that can take it. */
        public Deploy(int count, @Nullable String strategy, @Nullable List<String> groups, @Nullable String role,
                @Nullable Map<String, String> nodeSelector, @Nullable List<String> volumes) {
            this(count, strategy, groups, role, nodeSelector, volumes, null);
        }

        /** A deployment whose containers' volumes (if the app has any) go with them. */
        public Deploy(int count, @Nullable String strategy, @Nullable List<String> groups, @Nullable String role,
                @Nullable Map<String, String> nodeSelector) {
            this(count, strategy, groups, role, nodeSelector, null, null);
        }
    }

    /** Scale an app to {@code replicas} containers ({@code PUT /apps/{app}/scale}). */
    @Serdeable
    public record Scale(int replicas, @Nullable String strategy) {
    }

    /**
     * A container: where it runs and is reached, what it holds, how it is doing; {@code volumeKey} is the key of the
     * volume it mounts, or null when its volume (if any) is its own.
     */
    @Serdeable
    public record Container(long id, String name, String app, String tenant, String pod, String node,
            @Nullable String role, @Nullable String group, ContainerState state, boolean ready,
            @Nullable String address, @Nullable List<Integer> hostPorts, @Nullable String nodeAddress, String cpu,
            @Nullable List<Integer> cpuset, long memory, @Nullable String memoryText, @Nullable String engineId,
            @Nullable Integer exitCode, @Nullable Instant createdAt, @Nullable Instant updatedAt,
            @Nullable String volumeKey) {

        @Creator
        public Container {
        }

        /** A container without a keyed volume. */
        public Container(long id, String name, String app, String tenant, String pod, String node,
                @Nullable String role, @Nullable String group, ContainerState state, boolean ready,
                @Nullable String address, @Nullable List<Integer> hostPorts, @Nullable String nodeAddress, String cpu,
                @Nullable List<Integer> cpuset, long memory, @Nullable String memoryText, @Nullable String engineId,
                @Nullable Integer exitCode, @Nullable Instant createdAt, @Nullable Instant updatedAt) {
            this(id, name, app, tenant, pod, node, role, group, state, ready, address, hostPorts, nodeAddress, cpu,
                    cpuset, memory, memoryText, engineId, exitCode, createdAt, updatedAt, null);
        }

        public boolean running() {
            return state == ContainerState.RUNNING;
        }

        /** Running, or about to. */
        public boolean live() {
            return ContainerState.LIVE.contains(state);
        }

        /** Where the container is reached: its own address, or (host networking) its node's. */
        public @Nullable String host() {
            return address != null ? address : nodeAddress;
        }

        /** The port the container's {@code port} is reached at: itself, or its first host port. */
        public int port(int port) {
            return address != null || hostPorts == null || hostPorts.isEmpty() ? port : hostPorts.get(0);
        }
    }

    /**
     * A data volume of an app's key on one node ({@code GET /apps/{app}/volumes}): {@code name} is the engine's name
     * for it, which the scheduler derives. {@code removalPending}: its removal was asked for while its node could not
     * confirm it; the scheduler removes it once the node answers.
     */
    @Serdeable
    public record Volume(String app, String tenant, String key, String node, String name, Instant createdAt,
            boolean removalPending, @Nullable Instant removalRequestedAt) {
    }

    /**
     * What became of removing volumes ({@code DELETE /apps/{app}/volumes/{key}}, or an app's deletion): all gone, or
     * (202) some left on nodes that could not confirm it yet, which the scheduler removes once they answer.
     */
    @Serdeable
    public record VolumeRemoval(String app, @Nullable String key, boolean removed, List<String> pendingNodes,
            String message) {
    }

    /** What became of a removal: done, or (202) waiting for the container's node to confirm it. */
    @Serdeable
    public record Removal(long id, boolean removed, String message) {
    }

    /** Room in a pod for containers of one size: how many in all, and per node (with why a node has none). */
    @Serdeable
    public record Capacity(String pod, @Nullable String cpu, @Nullable String memory, int total,
            List<NodeCapacity> nodes, @Nullable Integer quotaRoom, @Nullable String quotaReason) {

        @Creator
        public Capacity {
        }

        /** A pod's room for a tenant without a quota. */
        public Capacity(String pod, @Nullable String cpu, @Nullable String memory, int total,
                List<NodeCapacity> nodes) {
            this(pod, cpu, memory, total, nodes, null, null);
        }
    }

    @Serdeable
    public record NodeCapacity(String node, int count, @Nullable String reason) {
    }

    // ---- pods

    /** A pod's network as asked for: {@code macvlan} (a subnet on a parent interface) or {@code host}. */
    @Serdeable
    public record NetworkSpec(@Nullable String mode, @Nullable String subnet, @Nullable String gateway,
            @Nullable String parent, @Nullable String range, @Nullable List<String> excluded) {
    }

    /**
     * A pod as asked for ({@code POST /pods}): CPU share base (10, 100 or 1000 pieces per core), binding
     * ({@code bound} or {@code public}), limit ({@code shares} or {@code quota}), network, storage driver, tenants.
     */
    @Serdeable
    public record PodSpec(String name, @Nullable Integer shareBase, @Nullable String cpuBinding,
            @Nullable String cpuLimit, @Nullable NetworkSpec network, @Nullable String storageDriver,
            @Nullable List<String> tenants) {
    }

    /** The tenants a pod is granted to ({@code PUT /pods/{name}/tenants}). */
    @Serdeable
    public record Grant(List<String> tenants) {
    }

    /** A pod's network: its mode, and for MacVLAN the subnet and the Docker network made on every node. */
    @Serdeable
    public record Network(String mode, @Nullable String subnet, @Nullable String gateway, @Nullable String parent,
            @Nullable String range, @Nullable List<String> excluded, @Nullable String dockerNetwork) {
    }

    /** A pod: a named group of nodes with a policy. */
    @Serdeable
    public record Pod(String name, int shareBase, @Nullable String granularity, @Nullable String cpuBinding,
            @Nullable String cpuLimit, Network network, @Nullable String storageDriver,
            @Nullable List<String> tenants, @Nullable Instant createdAt) {

        /** Containers share their node's network and get host ports rather than an address of their own. */
        public boolean hostNetwork() {
            return "host".equals(network.mode());
        }
    }

    // ---- nodes

    /**
     * A Docker host to register ({@code POST /nodes}), reached at {@code endpoint} ({@code unix://} or
     * {@code tcp://}, TLS files in {@code tlsDir}); {@code cores} and {@code memory} cap what the scheduler uses.
     */
    @Serdeable
    public record NodeSpec(String name, String pod, String endpoint, @Nullable String tlsDir,
            @Nullable List<Integer> cores, @Nullable String memory, @Nullable Map<String, String> labels) {
    }

    @Serdeable
    public record Cordon(boolean cordoned) {
    }

    /** A node: what its engine has, what the scheduler may use of it, and whether its agent holds its lease. */
    @Serdeable
    public record Node(long id, String name, String pod, String endpoint, @Nullable String tlsDir, List<Integer> cores,
            long memory, @Nullable String memoryText, int engineCores, long engineMemory, String storageDriver,
            @Nullable Map<String, String> labels, boolean cordoned, NodeState state, @Nullable Instant createdAt) {
    }

    /**
     * An engine container that carries Biu's labels but has no record (a database restored from an older backup, say):
     * stopped with its data kept, until an operator deletes it or {@code removalDue} passes.
     */
    @Serdeable
    public record Quarantined(long id, String node, String engineId, String name, Map<String, String> labels,
            Instant firstSeen, Instant removalDue) {
    }

    // ---- quotas

    /**
     * A tenant's quota as an operator sets it ({@code PUT /tenants/{tenant}/quota}): each limit absent is none.
     * {@code memory} is a size ("16GiB").
     */
    @Serdeable
    public record QuotaSpec(@Nullable BigDecimal cores, @Nullable String memory, @Nullable Integer containers,
            @Nullable Integer clusters, @Nullable Integer endpoints) {
    }

    /** A tenant's quota (null: no limit) and what it holds now. */
    @Serdeable
    public record Quota(String tenant, @Nullable BigDecimal cores, @Nullable Long memory, @Nullable Integer containers,
            @Nullable Integer clusters, @Nullable Integer endpoints, QuotaUsage used) {

        /**
         * Each limit {@code count} more containers of {@code cores} and {@code memory} bytes each would pass, with
         * the numbers ("cores 2 (1.5 held)"); empty when they fit. The scheduler checks it again when it reserves.
         */
        public List<String> over(int count, BigDecimal cores, long memory) {
            List<String> over = new java.util.ArrayList<>();
            if (containers != null && (long) used.containers() + count > containers) {
                over.add("containers " + containers + " (" + used.containers() + " held)");
            }
            if (this.cores != null && used.cores().add(cores.multiply(BigDecimal.valueOf(count)))
                    .compareTo(this.cores) > 0) {
                over.add("cores " + this.cores.stripTrailingZeros().toPlainString() + " ("
                        + used.cores().stripTrailingZeros().toPlainString() + " held)");
            }
            if (this.memory != null && used.memory() + memory * count > this.memory) {
                over.add("memory " + mib(this.memory) + " (" + mib(used.memory()) + " held)");
            }
            return over;
        }

        private static String mib(long bytes) {
            return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
        }
    }

    /** What a tenant holds: cores and memory bytes reserved by its containers, and how many there are. */
    @Serdeable
    public record QuotaUsage(BigDecimal cores, long memory, int containers) {
    }

    // ---- tokens

    /**
     * A token to issue ({@code POST /tokens}): {@code kind} operator, tenant (the default) or service. A service
     * token must name its {@code scopes} ({@link Scopes}); the others take none.
     */
    @Serdeable
    public record TokenSpec(@Nullable String kind, String name, @Nullable String tenant, @Nullable Instant expiresAt,
            @Nullable List<String> scopes) {

        @Creator
        public TokenSpec {
        }

        /** A token that lasts until revoked. */
        public TokenSpec(@Nullable String kind, String name, @Nullable String tenant) {
            this(kind, name, tenant, null, null);
        }

        /** A tenant or operator token. */
        public TokenSpec(@Nullable String kind, String name, @Nullable String tenant, @Nullable Instant expiresAt) {
            this(kind, name, tenant, expiresAt, null);
        }
    }

    /** A token, never its secret: {@code hint} is enough of it to tell tokens apart. */
    @Serdeable
    public record Token(long id, String name, TokenKind kind, @Nullable String tenant, String hint, Instant createdAt,
            @Nullable Instant revokedAt, @Nullable Instant expiresAt, List<String> scopes) {
    }

    /** A token just issued: the only answer that ever carries its secret. */
    @Serdeable
    public record Issued(Token token, String secret) {
    }

    @Serdeable
    public record IntrospectRequest(String token) {
    }

    /** Whose a token is: {@code tenant} is set for tenant tokens, {@code scopes} for service tokens. */
    @Serdeable
    public record Introspection(boolean active, @Nullable String name, @Nullable TokenKind kind,
            @Nullable String tenant, @Nullable Instant expiresAt, @Nullable List<String> scopes) {

        @Creator
        public Introspection {
        }

        /** An answer about a token that does not expire (or is not active), with no scopes. */
        public Introspection(boolean active, @Nullable String name, @Nullable TokenKind kind,
                @Nullable String tenant) {
            this(active, name, kind, tenant, null, null);
        }
    }

    // ---- events

    /**
     * A container as events and membership hashes carry it: all a consumer needs to route to it, never a secret.
     * {@code state} is a {@link ContainerState}'s id, or one this caller is too old to know: an event is never
     * unreadable because the scheduler learnt a new state.
     */
    @Serdeable
    public record EventContainer(long id, String name, String app, String tenant, String pod, String node,
            @Nullable String role, @Nullable String group, String state, boolean ready,
            @Nullable String address, @Nullable List<Integer> ports, @Nullable String nodeAddress,
            @Nullable Map<String, String> labels, @Nullable String cpu, @Nullable List<Integer> cpuset, long memory,
            @Nullable Integer exitCode, @Nullable Boolean oomKilled) {

        /** The container's state; empty for a state newer than this caller. */
        public Optional<ContainerState> containerState() {
            return known(ContainerState.class, state);
        }
    }

    /** A node as events carry it; {@code state} is a {@link NodeState}'s id, or one newer than this caller. */
    @Serdeable
    public record EventNode(String name, String pod, @Nullable String endpoint, boolean cordoned, String state) {

        /** The node's state; empty for a state newer than this caller. */
        public Optional<NodeState> nodeState() {
            return known(NodeState.class, state);
        }
    }

    private static <E extends Enum<E>> Optional<E> known(Class<E> type, @Nullable String id) {
        try {
            return id == null ? Optional.empty() : Optional.of(Wire.of(type, id));
        } catch (IllegalArgumentException newer) {
            return Optional.empty();
        }
    }

    /**
     * One entry of the scheduler's event stream (and of {@code GET /events}), in sequence order; {@code type} is one
     * of {@link EventType}'s names, or one this caller is too old to know.
     */
    @Serdeable
    public record Event(long seq, String type, Instant time, @Nullable EventContainer container,
            @Nullable EventNode node) {

        /** The event's type; empty for a type newer than this caller. */
        public Optional<EventType> eventType() {
            try {
                return Optional.of(EventType.of(type));
            } catch (IllegalArgumentException newer) {
                return Optional.empty();
            }
        }
    }
}

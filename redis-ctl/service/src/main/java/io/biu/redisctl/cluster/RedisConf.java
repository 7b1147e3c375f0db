package io.biu.redisctl.cluster;

import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.store.Cluster;
import io.biu.kit.secret.TlsIdentity;
import io.biu.scheduler.client.Schema;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The configuration file every instance of a cluster starts from. It carries the cluster's password, so it
 * reaches containers only as a secret file (mode 0400), never as a command line, label or environment.
 *
 * <p>Memory: Redis's {@code maxmemory} counts data only. Around it a process also needs its own baseline
 * (a few MiB), client and replication buffers (the replication backlog is 1 MiB by default) and allocator
 * fragmentation, and the AOF rewrite's fork copies pages written meanwhile. So {@code maxmemory} is the
 * container's limit less a headroom of a quarter of it, and at least 16 MiB: 48 MiB of a 64 MiB container,
 * 768 MiB of 1 GiB, 6 GiB of 8 GiB. A write beyond that is refused or evicts per the eviction policy, and the
 * kernel's OOM killer is not reached.
 *
 * <p>Client buffers are not data: Redis builds every reply to a pipeline it has read before writing any, so
 * one connection whose replies pile up (a client pipelining reads of large values and not reading) could
 * outgrow the headroom, and the container would be killed with its data. {@code maxmemory-clients} caps the
 * buffers of all normal clients together at half the headroom: past it Redis closes the connections that
 * hold the most, and the instance lives. (Links to replicas and masters are not counted.)
 *
 * <p>Membership: the instances of a cluster speak to each other only over mutual TLS under the cluster's own identity
 * ({@link io.biu.kit.secret.TlsIdentity}, its certificate the only trust anchor): the cluster bus, replication and a
 * slot move's {@code MIGRATE} all go to the TLS port, which refuses a peer without the cluster's key. So a process
 * that is not one of the cluster's instances cannot join its bus ({@code CLUSTER MEET} from it never completes its
 * handshake), cannot be met, and cannot replicate from it; it could only reach the client port, which asks for the
 * password. Clients (the proxies, redis-ctl) keep the client port, where Redis reports the plain ports in
 * {@code CLUSTER SLOTS}, {@code CLUSTER NODES} and redirections.
 */
public final class RedisConf {

    public static final String PATH = "/etc/redis/redis.conf";
    public static final String DATA_DIR = "/data";
    /**
     * Who Redis runs as: not root, on a read-only root where only its data directory (its volume, or a volume kept
     * while the container is when the cluster keeps no data) and its config's directory can be written. The images'
     * {@code /data} belongs to this user (the official image's {@code redis} user has the same ids).
     */
    public static final String USER = "999:999";
    public static final int PORT = 6379;
    /** Where the cluster's instances reach each other over TLS; the cluster bus is this + 10000. */
    public static final int TLS_PORT = 6380;
    public static final String TLS_DIR = "/etc/redis/tls";
    public static final String TLS_CERTIFICATE = TLS_DIR + "/bus.crt";
    public static final String TLS_KEY = TLS_DIR + "/bus.key";
    static final long MIB = 1024L * 1024;
    static final long MIN_HEADROOM = 16 * MIB;

    private RedisConf() {
    }

    public static long maxmemory(long containerMemory) {
        return containerMemory - Math.max(containerMemory / 4, MIN_HEADROOM);
    }

    /** What the buffers of clients may hold together: half the headroom around {@code maxmemory}. */
    static long maxmemoryClients(Cluster cluster) {
        return (cluster.memory() - cluster.maxmemory()) / 2;
    }

    /**
     * Host ports an instance needs when it shares its node's network: clients', the cluster bus's, and the TLS port
     * when its bus has TLS.
     */
    public static int hostPorts(Cluster cluster) {
        return cluster.busTls() ? 3 : 2;
    }

    /**
     * How an instance starts. With an address of its own (MacVLAN) it listens on {@link #PORT} (and
     * {@link #TLS_PORT}) and announces that address; sharing its node's network, it listens on the host ports the
     * scheduler allocated and announces its node's address, which the scheduler puts in its command.
     */
    public static List<String> command(Cluster cluster, boolean hostNetwork) {
        if (!hostNetwork) {
            return List.of("redis-server", PATH);
        }
        List<String> command = new ArrayList<>(List.of("redis-server", PATH, "--port", "$(BIU_PORT_0)",
                "--cluster-port", "$(BIU_PORT_1)", "--cluster-announce-ip", "$(BIU_NODE_ADDRESS)"));
        if (cluster.busTls()) {
            command.addAll(List.of("--tls-port", "$(BIU_PORT_2)"));
        }
        return List.copyOf(command);
    }

    /** The files an instance starts from: the configuration, and the bus's key and certificate if it has TLS. */
    public static List<Schema.FileSpec> files(Cluster cluster, Duration nodeTimeout) {
        List<Schema.FileSpec> files = new ArrayList<>(List.of(file(PATH, render(cluster, nodeTimeout))));
        if (cluster.busTls()) {
            TlsIdentity identity = TlsIdentity.parse(cluster.busIdentity());
            files.add(file(TLS_CERTIFICATE, identity.certificate()));
            files.add(file(TLS_KEY, identity.privateKey()));
        }
        return List.copyOf(files);
    }

    private static Schema.FileSpec file(String path, String text) {
        return new Schema.FileSpec(path, Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)),
                "0400");
    }

    /**
     * TLS between the instances of a cluster, each of which holds its key and certificate: the certificate is the
     * only trust anchor, and a peer must show it on every connection, incoming (the bus, a replica, a MIGRATE) or
     * outgoing.
     */
    public static List<String> tlsSettings(int port, String certificate, String key) {
        return List.of(
                "tls-port " + port,
                "tls-cluster yes",
                "tls-replication yes",
                "tls-auth-clients yes",
                "tls-protocols TLSv1.3",
                "tls-cert-file " + certificate,
                "tls-key-file " + key,
                "tls-ca-cert-file " + certificate);
    }

    public static String render(Cluster cluster, Duration nodeTimeout) {
        boolean aof = cluster.persistence() == Persistence.AOF;
        List<String> tls = cluster.busTls() ? tlsSettings(TLS_PORT, TLS_CERTIFICATE, TLS_KEY) : List.of();
        return String.join("\n",
                "# Written by redis-ctl for cluster " + cluster.tenant() + "/" + cluster.name(),
                "port " + PORT,
                "bind * -::*",
                "protected-mode no",
                "dir " + DATA_DIR,
                "cluster-enabled yes",
                "cluster-config-file nodes.conf",
                "cluster-node-timeout " + nodeTimeout.toMillis(),
                "cluster-require-full-coverage yes",
                "cluster-allow-replica-migration yes",
                "requirepass " + cluster.password(),
                "masterauth " + cluster.password(),
                "maxmemory " + cluster.maxmemory(),
                "maxmemory-policy " + cluster.eviction(),
                "maxmemory-clients " + maxmemoryClients(cluster),
                "appendonly " + (aof ? "yes" : "no"),
                "appendfsync everysec",
                // a master streams its data set to new replicas as soon as all of its replicas asked for it,
                // instead of always waiting 5 s for more to arrive
                "repl-diskless-sync yes",
                "repl-diskless-sync-max-replicas " + Math.max(1, cluster.replicas()),
                // rdb: Redis's own schedule (after an hour if a key changed, 5 min if 100 did, 1 min if 10000 did)
                cluster.persistence() == Persistence.RDB ? "save 3600 1 300 100 60 10000" : "save \"\"",
                String.join("\n", tls),
                "");
    }
}

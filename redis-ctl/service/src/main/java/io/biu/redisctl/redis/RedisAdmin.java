package io.biu.redisctl.redis;

import io.biu.redisctl.plan.Topology;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Administrative conversations with single Redis instances (Lettuce, one short-lived connection each). */
@Singleton
public class RedisAdmin {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** How long a probe waits, to connect and for each answer: a silent instance must not hold a healing round. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final RedisClient client = RedisClient.create();
    private final RedisClient probes = probeClient();

    private static RedisClient probeClient() {
        RedisClient c = RedisClient.create();
        c.setOptions(ClientOptions.builder()
                .socketOptions(SocketOptions.builder().connectTimeout(PROBE_TIMEOUT).build())
                .timeoutOptions(TimeoutOptions.enabled(PROBE_TIMEOUT))
                .build());
        return c;
    }

    /** Runs {@code work} on a fresh, authenticated connection to {@code host:port}. */
    public <T> T on(String host, int port, String password, Function<RedisCommands<String, String>, T> work) {
        try (StatefulRedisConnection<String, String> connection = connect(host, port, password)) {
            return work.apply(connection.sync());
        }
    }

    /**
     * As {@link #on}, within {@link #PROBE_TIMEOUT} for the connection and for each answer: for asking instances that
     * may be cut off, where waiting out the usual timeouts would stall everything behind the question.
     */
    public <T> T probe(String host, int port, String password, Function<RedisCommands<String, String>, T> work) {
        RedisURI uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(PROBE_TIMEOUT)
                .withAuthentication("default", password.toCharArray()).build();
        try (StatefulRedisConnection<String, String> connection = probes.connect(uri)) {
            return work.apply(connection.sync());
        }
    }

    /**
     * Whether a Redis server answers at {@code host:port} within {@link #PROBE_TIMEOUT}: any reply counts, an error
     * too (one still loading its data, or busy with a script, is alive and holds its data).
     */
    public boolean answers(String host, int port, String password) {
        try {
            probe(host, port, password, r -> r.ping());
            return true;
        } catch (RedisCommandExecutionException replied) {
            return true;
        } catch (RuntimeException silent) {
            return false;
        }
    }

    /** A fresh, authenticated connection, for a longer conversation; the caller closes it. */
    public StatefulRedisConnection<String, String> connect(String host, int port, String password) {
        return client.connect(uri(host, port, password));
    }

    /** As {@link #connect}, with keys and values as bytes: keys are binary-safe in Redis, not text. */
    public StatefulRedisConnection<byte[], byte[]> connectBinary(String host, int port, String password) {
        return client.connect(ByteArrayCodec.INSTANCE, uri(host, port, password));
    }

    private static RedisURI uri(String host, int port, String password) {
        return RedisURI.builder().withHost(host).withPort(port).withTimeout(TIMEOUT)
                .withAuthentication("default", password.toCharArray()).build();
    }

    /**
     * Where another instance of its cluster sends an instance keys ({@code MIGRATE}): with TLS on the cluster's bus,
     * instances reach each other only through their TLS port, which may not be {@code port}'s neighbour (an instance
     * sharing its node's network gets any free host port), so the instance is asked; else {@code port}.
     */
    public static int migrationPort(RedisCommands<String, String> redis, int port) {
        // one parameter per CONFIG GET, as Redis before 7 takes them
        if (!"yes".equals(redis.configGet("tls-cluster").get("tls-cluster"))) {
            return port;
        }
        int tlsPort = Integer.parseInt(redis.configGet("tls-port").getOrDefault("tls-port", "0"));
        return tlsPort > 0 ? tlsPort : port;
    }

    /** CLUSTER MEET with the other's cluster bus port, which need not be its port + 10000. */
    public static void meet(RedisCommands<String, String> redis, String host, int port, int busPort) {
        CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("MEET").add(host).add(port);
        if (busPort > 0) {
            args.add(busPort);
        }
        redis.dispatch(CommandType.CLUSTER, new StatusOutput<>(StringCodec.UTF8), args);
    }

    /** The instance's view of the cluster (CLUSTER NODES). */
    public static Topology topology(RedisCommands<String, String> redis) {
        return Topology.parse(redis.clusterNodes());
    }

    /**
     * As {@link #topology(RedisCommands)}, for an instance reached at {@code host}: one that never met another (the
     * only master of a cluster) does not know its own address and lists itself without one, so it gets {@code host}.
     */
    public static Topology topology(RedisCommands<String, String> redis, String host) {
        return Topology.parse(withOwnHost(redis.clusterNodes(), host));
    }

    /** CLUSTER NODES with {@code host} in the line of {@code myself} if that has no address. */
    static String withOwnHost(String clusterNodes, String host) {
        return clusterNodes.lines()
                .map(line -> line.contains(" myself") ? line.replaceFirst("^(\\S+) :", "$1 " + host + ":") : line)
                .collect(Collectors.joining("\n"));
    }


    @PreDestroy
    void close() {
        client.shutdown();
        probes.shutdown();
    }
}

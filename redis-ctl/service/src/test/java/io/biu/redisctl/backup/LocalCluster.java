package io.biu.redisctl.backup;

import static org.awaitility.Awaitility.await;

import io.biu.redisctl.plan.SlotPlan;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A Redis Cluster of local servers, formed as redis-ctl forms one: an even range of slots to each master
 * (ADDSLOTSRANGE), MEET, each replica attached to its master (REPLICATE), and cluster_state:ok everywhere.
 */
public final class LocalCluster implements AutoCloseable {

    private final List<LocalRedis> servers = new ArrayList<>();
    private final RedisClient client = RedisClient.create();
    private final int masters;
    private final int replicasEach;
    private RedisClusterClient clusterClient;
    private StatefulRedisClusterConnection<String, String> connection;

    private LocalCluster(int masters, int replicasEach) {
        this.masters = masters;
        this.replicasEach = replicasEach;
    }

    /** {@code masters} masters without replicas; {@code extra}: more settings of every server. */
    public static LocalCluster start(int masters, String... extra) {
        return startWithReplicas(masters, 0, extra);
    }

    /**
     * {@code masters} masters with {@code replicasEach} replicas each; {@code extra}: more settings of every server
     * as {@code --name value} pairs (a short {@code --cluster-node-timeout}, say).
     */
    public static LocalCluster startWithReplicas(int masters, int replicasEach, String... extra) {
        LocalCluster cluster = new LocalCluster(masters, replicasEach);
        try {
            for (int i = 0; i < masters * (1 + replicasEach); i++) {
                cluster.servers.add(LocalRedis.start(true, extra));
            }
            cluster.form();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private void form() {
        for (int i = 0; i < masters; i++) {
            int[] range = SlotPlan.range(i, masters);
            on(i, r -> r.clusterAddSlotsRange(Range.create(range[0], range[1])));
        }
        LocalRedis seed = servers.get(0);
        for (int i = 1; i < servers.size(); i++) {
            on(i, r -> {
                RedisAdmin.meet(r, "127.0.0.1", seed.port(), seed.busPort());
                return null;
            });
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            ids.add(on(i, RedisCommands::clusterMyId));
        }
        await("every server knows every other").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (int i = 0; i < servers.size(); i++) {
                        Topology view = Topology.parse(on(i, RedisCommands::clusterNodes));
                        if (!ids.stream().allMatch(view::knows)) {
                            return false;
                        }
                    }
                    return true;
                });
        for (int i = masters; i < servers.size(); i++) {
            String master = ids.get(shardOf(i));
            on(i, r -> r.clusterReplicate(master));
        }
        await("cluster_state:ok, every replica's link up").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    for (int i = 0; i < servers.size(); i++) {
                        if (!on(i, RedisCommands::clusterInfo).contains("cluster_state:ok")
                                || i >= masters && !on(i, r -> r.info("replication")).contains("master_link_status:up")) {
                            return false;
                        }
                    }
                    return true;
                });
    }

    public <T> T on(int server, Function<RedisCommands<String, String>, T> work) {
        try (StatefulRedisConnection<String, String> c = client.connect(uri(servers.get(server).port()))) {
            return work.apply(c.sync());
        }
    }

    /** The cluster through a cluster-aware client (connected on first use, to the first server). */
    public io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands<String, String> sync() {
        if (connection == null) {
            clusterClient = RedisClusterClient.create(uri(servers.get(0).port()));
            connection = clusterClient.connect();
        }
        return connection.sync();
    }

    Topology topology() {
        return Topology.parse(on(0, RedisCommands::clusterNodes));
    }

    /** The keys the cluster holds: the sum of its masters' (as they are now, after any failover). */
    public long keys() {
        long keys = 0;
        for (int i = 0; i < servers.size(); i++) {
            keys += on(i, r -> r.info("replication").contains("role:master") ? r.dbsize() : 0L);
        }
        return keys;
    }

    /** The first masters' ports, in the order they were started. */
    public List<Integer> ports() {
        return servers.subList(0, masters).stream().map(LocalRedis::port).toList();
    }

    /** Every server: the first masters, in the order they were started, then the replicas of each in turn. */
    public List<LocalRedis> servers() {
        return List.copyOf(servers);
    }

    /** The shard a server was started in: its own if it was started a master, its master's if a replica. */
    public int shardOf(int server) {
        return server < masters ? server : (server - masters) / replicasEach;
    }

    private static RedisURI uri(int port) {
        return RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withAuthentication("default", LocalRedis.PASSWORD.toCharArray()).build();
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
        }
        if (clusterClient != null) {
            clusterClient.shutdown();
        }
        client.shutdown();
        servers.forEach(LocalRedis::close);
    }
}

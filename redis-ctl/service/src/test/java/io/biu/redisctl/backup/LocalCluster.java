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
 * A Redis Cluster of local masters (no replicas), formed as redis-ctl forms one: an even range of slots each
 * (ADDSLOTSRANGE), MEET, and cluster_state:ok everywhere.
 */
public final class LocalCluster implements AutoCloseable {

    private final List<LocalRedis> servers = new ArrayList<>();
    private final RedisClient client = RedisClient.create();
    private RedisClusterClient clusterClient;
    private StatefulRedisClusterConnection<String, String> connection;

    public static LocalCluster start(int masters, String... extra) {
        LocalCluster cluster = new LocalCluster();
        try {
            for (int i = 0; i < masters; i++) {
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
        int n = servers.size();
        for (int i = 0; i < n; i++) {
            int[] range = SlotPlan.range(i, n);
            on(i, r -> r.clusterAddSlotsRange(Range.create(range[0], range[1])));
        }
        for (int i = 1; i < n; i++) {
            on(i, r -> {
                RedisAdmin.meet(r, "127.0.0.1", servers.get(0).port(), servers.get(0).busPort());
                return null;
            });
        }
        await("cluster_state:ok").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (int i = 0; i < n; i++) {
                if (!on(i, r -> r.clusterInfo()).contains("cluster_state:ok")) {
                    return false;
                }
            }
            return true;
        });
        clusterClient = RedisClusterClient.create(uri(servers.get(0).port()));
        connection = clusterClient.connect();
    }

    public <T> T on(int server, Function<RedisCommands<String, String>, T> work) {
        try (StatefulRedisConnection<String, String> c = client.connect(uri(servers.get(server).port()))) {
            return work.apply(c.sync());
        }
    }

    /** The cluster through a cluster-aware client. */
    public io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands<String, String> sync() {
        return connection.sync();
    }

    Topology topology() {
        return Topology.parse(on(0, RedisCommands::clusterNodes));
    }

    public long keys() {
        long keys = 0;
        for (int i = 0; i < servers.size(); i++) {
            keys += on(i, RedisCommands::dbsize);
        }
        return keys;
    }

    /** The masters' ports, in the order they were started. */
    public List<Integer> ports() {
        return servers.stream().map(LocalRedis::port).toList();
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

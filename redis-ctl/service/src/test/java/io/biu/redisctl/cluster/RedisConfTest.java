package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.store.Cluster;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisConfTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void maxmemoryLeavesAQuarterOfTheContainerAndAtLeastSixteenMib() {
        assertEquals(48 * MIB, RedisConf.maxmemory(64 * MIB));
        assertEquals(768 * MIB, RedisConf.maxmemory(1024 * MIB));
        assertEquals(6 * 1024 * MIB, RedisConf.maxmemory(8 * 1024 * MIB));
        for (long m = 64 * MIB; m < 64 * 1024 * MIB; m += 37 * MIB) {
            long headroom = m - RedisConf.maxmemory(m);
            assertTrue(headroom >= 16 * MIB && headroom >= m / 4, "headroom of " + m);
        }
    }

    @Test
    void theFileCarriesTheClusterSettings() {
        Cluster c = new Cluster(7L, "team", "orders", "lab", "redis-orders", 3, 1, BigDecimal.ONE, 64 * MIB,
                48 * MIB, Persistence.NONE, "allkeys-lru", "s3cret", ClusterState.CREATING, Instant.EPOCH,
                Instant.EPOCH);
        String conf = RedisConf.render(c, Duration.ofSeconds(2));
        for (String line : new String[] {"cluster-enabled yes", "cluster-node-timeout 2000", "requirepass s3cret",
            "masterauth s3cret", "maxmemory 50331648", "maxmemory-policy allkeys-lru", "appendonly no",
            "port 6379", "maxmemory-clients 8388608"}) {
            assertTrue(conf.lines().anyMatch(line::equals), line + " in\n" + conf);
        }
    }

    @Test
    void eachPersistenceWritesWhatItPromises() {
        for (Persistence p : Persistence.values()) {
            Cluster c = new Cluster(7L, "team", "orders", "lab", "redis-orders", 3, 0, BigDecimal.ONE, 64 * MIB,
                    48 * MIB, p, "noeviction", "s3cret", ClusterState.CREATING, Instant.EPOCH, Instant.EPOCH);
            List<String> lines = RedisConf.render(c, Duration.ofSeconds(2)).lines().toList();
            assertEquals(p == Persistence.AOF, lines.contains("appendonly yes"), p + ": " + lines);
            assertEquals(p == Persistence.AOF, lines.contains("appendfsync everysec") && lines.contains(
                    "appendonly yes"), p + ": " + lines);
            assertEquals(p == Persistence.RDB, lines.contains("save 3600 1 300 100 60 10000"), p + ": " + lines);
            assertEquals(p != Persistence.RDB, lines.contains("save \"\""), p + ": " + lines);
        }
    }
}

package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.secret.TlsIdentity;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.store.Cluster;
import io.biu.scheduler.client.Schema;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
                48 * MIB, Persistence.NONE, "allkeys-lru", "s3cret", null, ClusterState.CREATING, Instant.EPOCH,
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
                    48 * MIB, p, "noeviction", "s3cret", null, ClusterState.CREATING, Instant.EPOCH, Instant.EPOCH);
            List<String> lines = RedisConf.render(c, Duration.ofSeconds(2)).lines().toList();
            assertEquals(p == Persistence.AOF, lines.contains("appendonly yes"), p + ": " + lines);
            assertEquals(p == Persistence.AOF, lines.contains("appendfsync everysec") && lines.contains(
                    "appendonly yes"), p + ": " + lines);
            assertEquals(p == Persistence.RDB, lines.contains("save 3600 1 300 100 60 10000"), p + ": " + lines);
            assertEquals(p != Persistence.RDB, lines.contains("save \"\""), p + ": " + lines);
        }
    }

    @Test
    void aClusterWithABusIdentityListensForItsPeersOverTlsAndGetsItsFiles() {
        TlsIdentity id = TlsIdentity.selfSigned("biu cluster team/orders", Instant.EPOCH, Duration.ofDays(1));
        Cluster c = new Cluster(7L, "team", "orders", "lab", "redis-orders", 3, 1, BigDecimal.ONE, 64 * MIB,
                48 * MIB, Persistence.NONE, "allkeys-lru", "s3cret", id.pem(), ClusterState.CREATING, Instant.EPOCH,
                Instant.EPOCH);
        List<String> lines = RedisConf.render(c, Duration.ofSeconds(2)).lines().toList();
        for (String line : List.of("tls-port 6380", "tls-cluster yes", "tls-replication yes", "tls-auth-clients yes",
                "tls-cert-file /etc/redis/tls/bus.crt", "tls-key-file /etc/redis/tls/bus.key",
                "tls-ca-cert-file /etc/redis/tls/bus.crt", "port 6379")) {
            assertTrue(lines.contains(line), line + " in " + lines);
        }
        Map<String, String> files = RedisConf.files(c, Duration.ofSeconds(2)).stream().collect(Collectors.toMap(
                Schema.FileSpec::path, f -> new String(Base64.getDecoder().decode(f.content()))));
        assertEquals(Set.of(RedisConf.PATH, "/etc/redis/tls/bus.crt", "/etc/redis/tls/bus.key"), files.keySet());
        assertEquals(id.certificate(), files.get("/etc/redis/tls/bus.crt"));
        assertEquals(id.privateKey(), files.get("/etc/redis/tls/bus.key"));
        assertTrue(RedisConf.files(c, Duration.ofSeconds(2)).stream().allMatch(f -> "0400".equals(f.mode())));
        assertEquals(3, RedisConf.hostPorts(c));
        assertTrue(String.join(" ", RedisConf.command(c, true)).endsWith("--tls-port $(BIU_PORT_2)"));

        Cluster before = new Cluster(8L, "team", "old", "lab", "redis-old", 3, 1, BigDecimal.ONE, 64 * MIB,
                48 * MIB, Persistence.NONE, "allkeys-lru", "s3cret", null, ClusterState.READY, Instant.EPOCH,
                Instant.EPOCH);
        assertTrue(RedisConf.render(before, Duration.ofSeconds(2)).lines().noneMatch(l -> l.startsWith("tls-")));
        assertEquals(1, RedisConf.files(before, Duration.ofSeconds(2)).size());
        assertEquals(2, RedisConf.hostPorts(before));
        assertTrue(RedisConf.command(before, true).stream().noneMatch(a -> a.contains("tls")));
    }
}

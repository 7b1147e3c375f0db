package io.biu.redisctl.redis;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.secret.TlsIdentity;
import io.biu.redisctl.backup.LocalRedis;
import io.biu.redisctl.cluster.RedisConf;
import io.biu.redisctl.plan.Topology;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Redis servers with the TLS settings {@link RedisConf} gives a cluster's instances: two holding the cluster's
 * identity form a cluster, replicate and move keys; a server holding another identity, and one without TLS, try to
 * join it and are never let in.
 */
class BusTlsTest {

    private static final RedisClient CLIENT = RedisClient.create();
    private static final List<AutoCloseable> OPEN = new ArrayList<>();
    private static Path dir;

    @BeforeAll
    static void files() throws IOException {
        dir = Files.createTempDirectory("biu-bus-tls");
    }

    @AfterAll
    static void stop() throws Exception {
        java.util.Collections.reverse(OPEN);
        for (AutoCloseable c : OPEN) {
            c.close();
        }
        CLIENT.shutdown();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void onlyHoldersOfTheClusterIdentityJoinReplicateAndTakeKeys() throws Exception {
        TlsIdentity cluster = TlsIdentity.selfSigned("biu cluster team/a", Instant.now(), Duration.ofDays(1));
        TlsIdentity stranger = TlsIdentity.selfSigned("biu cluster team/a", Instant.now(), Duration.ofDays(1));
        Member a = member(cluster);
        Member b = member(cluster);
        Member c = member(cluster);
        Member foreign = member(stranger);
        LocalRedis plainServer = LocalRedis.start(true);
        OPEN.add(plainServer);
        Member plain = new Member(plainServer, 0, connect(plainServer));

        RedisAdmin.meet(a.redis(), "127.0.0.1", b.server.port(), b.server.busPort());
        RedisAdmin.meet(a.redis(), "127.0.0.1", c.server.port(), c.server.busPort());
        await("the members know each other").atMost(Duration.ofSeconds(10)).until(() ->
                connected(a.redis()) == 3 && connected(b.redis()) == 3 && connected(c.redis()) == 3);

        // another identity, or none: a MEET from the stranger, or one the stranger asks of a member, never completes
        RedisAdmin.meet(foreign.redis(), "127.0.0.1", a.server.port(), a.server.busPort());
        RedisAdmin.meet(plain.redis(), "127.0.0.1", a.server.port(), a.server.busPort());
        RedisAdmin.meet(a.redis(), "127.0.0.1", foreign.server.port(), foreign.server.busPort());
        Thread.sleep(3_000);
        for (Member m : List.of(a, b, c)) {
            Topology view = RedisAdmin.topology(m.redis());
            assertEquals(3, connected(m.redis()), "a member knows only the members: " + m.redis().clusterNodes());
            assertTrue(view.nodes().stream().noneMatch(n -> n.id().equals(foreign.redis().clusterMyId())
                    || n.id().equals(plain.redis().clusterMyId())), m.redis().clusterNodes());
        }
        assertEquals(1, connected(foreign.redis()), foreign.redis().clusterNodes());
        assertEquals(1, connected(plain.redis()), plain.redis().clusterNodes());

        // keys move to the member's TLS port, never to its client port
        String aId = a.redis().clusterMyId();
        String bId = b.redis().clusterMyId();
        a.redis().clusterAddSlotsRange(io.lettuce.core.Range.create(0, 16383));
        await("the cluster up").atMost(Duration.ofSeconds(10)).until(() ->
                a.redis().clusterInfo().contains("cluster_state:ok")
                        && b.redis().clusterInfo().contains("cluster_state:ok"));
        int slot = a.redis().clusterKeyslot("k").intValue();
        a.redis().set("k", "v");
        b.redis().clusterSetSlotImporting(slot, aId);
        a.redis().clusterSetSlotMigrating(slot, bId);
        assertEquals(b.tlsPort, RedisAdmin.migrationPort(b.redis(), b.server.port()));
        assertEquals(plain.server.port(), RedisAdmin.migrationPort(plain.redis(), plain.server.port()));
        MigrateArgs<String> key = MigrateArgs.Builder.<String>keys("k").auth(LocalRedis.PASSWORD);
        RedisCommandExecutionException refused = assertThrows(RedisCommandExecutionException.class,
                () -> a.redis().migrate("127.0.0.1", b.server.port(), 0, 5_000, key));
        assertTrue(refused.getMessage().startsWith("IOERR"), "the client port takes no MIGRATE from a TLS bus: "
                + refused.getMessage());
        assertEquals("OK", a.redis().migrate("127.0.0.1", b.tlsPort, 0, 5_000, key));
        b.redis().clusterSetSlotNode(slot, bId);
        a.redis().clusterSetSlotNode(slot, bId);
        assertEquals("v", b.redis().get("k"));

        // and a member replicates another over TLS
        c.redis().clusterReplicate(bId);
        await("the replica's link").atMost(Duration.ofSeconds(10)).until(() ->
                c.redis().info("replication").contains("master_link_status:up"));
        assertTrue(c.redis().info("replication").contains("master_port:" + b.tlsPort),
                c.redis().info("replication"));
    }

    private static long connected(RedisCommands<String, String> redis) {
        return redis.clusterNodes().lines().filter(l -> l.contains(" connected") && !l.contains("handshake"))
                .count();
    }

    private record Member(LocalRedis server, int tlsPort, RedisCommands<String, String> redis) {
    }

    private static RedisCommands<String, String> connect(LocalRedis server) {
        StatefulRedisConnection<String, String> c = CLIENT.connect(RedisURI.builder().withHost("127.0.0.1")
                .withPort(server.port()).withAuthentication("default", LocalRedis.PASSWORD.toCharArray()).build());
        OPEN.add(c);
        return c.sync();
    }

    /** A server with the settings of {@link RedisConf}'s TLS lines, its files under {@code identity}. */
    private static Member member(TlsIdentity identity) throws IOException {
        Path files = Files.createTempDirectory(dir, "id");
        Path cert = Files.writeString(files.resolve("bus.crt"), identity.certificate());
        Path key = Files.writeString(files.resolve("bus.key"), identity.privateKey());
        int tlsPort = LocalRedis.freePort();
        List<String> settings = new ArrayList<>();
        for (String line : RedisConf.tlsSettings(tlsPort, cert.toString(), key.toString())) {
            String[] parts = line.split(" ", 2);
            settings.add("--" + parts[0]);
            settings.add(parts[1]);
        }
        LocalRedis server = LocalRedis.start(true, settings.toArray(String[]::new));
        OPEN.add(server);
        return new Member(server, tlsPort, connect(server));
    }
}

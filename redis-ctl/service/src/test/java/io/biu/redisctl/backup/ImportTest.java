package io.biu.redisctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.info.RedisInfo;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.task.AlwaysHeld;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Imports from a plain Redis into a three-master cluster: from its RDB file, and online while it is written to, ending
 * once the source went quiet with every write in the cluster.
 */
class ImportTest {

    private static final RedisAdmin REDIS = new RedisAdmin();

    private static StatefulRedisConnection<String, String> connect(RedisClient client, LocalRedis redis) {
        return client.connect(RedisURI.builder().withHost("127.0.0.1").withPort(redis.port())
                .withAuthentication("default", LocalRedis.PASSWORD.toCharArray()).build());
    }

    private static void fill(RedisCommands<String, String> source, int keys) {
        Map<String, String> chunk = new HashMap<>();
        for (int i = 0; i < keys; i++) {
            chunk.put("key:" + i, "value-" + i);
            if (chunk.size() == 1000) {
                source.mset(chunk);
                chunk.clear();
            }
        }
        source.hset("a-hash", Map.of("f", "v"));
        source.select(1);
        source.set("elsewhere", "not in a cluster");
        source.select(0);
    }

    /** Every key of the source's database 0 is in the target with the same string value (or hash). */
    private static void assertSame(RedisCommands<String, String> source, RedisAdvancedClusterCommands<String, String> target) {
        List<String> keys = new ArrayList<>();
        ScanIterator.scan(source, ScanArgs.Builder.limit(1000)).forEachRemaining(keys::add);
        long strings = 0;
        for (int i = 0; i < keys.size(); i += 1000) {
            List<String> chunk = keys.subList(i, Math.min(keys.size(), i + 1000)).stream()
                    .filter(k -> !k.equals("a-hash")).toList();
            List<KeyValue<String, String>> expected = source.mget(chunk.toArray(String[]::new));
            List<KeyValue<String, String>> actual = target.mget(chunk.toArray(String[]::new));
            assertEquals(expected, actual);
            strings += chunk.size();
        }
        assertEquals(Map.of("f", "v"), target.hgetall("a-hash"));
        assertEquals(keys.size(), target.dbsize(), "keys in the target (the source has " + keys.size() + ", "
                + strings + " strings)");
    }

    @Test
    void anRdbFileOfAHundredThousandKeysLandsBySlotWithItsValues() throws Exception {
        RedisClient client = RedisClient.create();
        try (LocalRedis plain = LocalRedis.start(false); LocalCluster target = LocalCluster.start(3);
                StatefulRedisConnection<String, String> source = connect(client, plain)) {
            fill(source.sync(), 100_000);
            source.sync().save();

            Loader.Loaded loaded;
            try (InputStream rdb = Files.newInputStream(plain.dir().resolve("dump.rdb"))) {
                loaded = new Loader(REDIS, 500, Clock.systemUTC(), ForkJoinPool.commonPool()).load(rdb, "dump.rdb",
                        target.topology(), LocalRedis.PASSWORD, AlwaysHeld.quiet());
            }

            assertEquals(100_001, loaded.written());
            assertEquals(1, loaded.otherDatabases());
            assertSame(source.sync(), target.sync());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aLiveSourceWrittenToDuringTheImportEndsUpInTheClusterAsItIs() throws Exception {
        RedisClient client = RedisClient.create();
        try (LocalRedis plain = LocalRedis.start(false); LocalCluster target = LocalCluster.start(3);
                StatefulRedisConnection<String, String> source = connect(client, plain);
                StatefulRedisConnection<String, String> writes = connect(client, plain)) {
            fill(source.sync(), 50_000);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            CountDownLatch following = new CountDownLatch(1);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                RedisCommands<String, String> w = writes.sync();
                for (long i = 0; writing.get(); i++) {
                    w.set("live:" + i, "v" + i);
                    // keys of different slots in one command, and changes to keys of the snapshot
                    w.mset(Map.of("live:a:" + i, "x", "live:b:" + i, "y"));
                    w.del("key:" + i, "key:" + (i + 25_000));
                    w.incr("counter");
                    w.expire("key:" + (i + 40_000), 3600);
                    written.incrementAndGet();
                }
            });
            List<String> said = new ArrayList<>();
            CompletableFuture<LiveImport.Imported> importing = CompletableFuture.supplyAsync(() -> {
                try {
                    return new LiveImport(REDIS, 200, Clock.systemUTC(), Duration.ofSeconds(60), Duration.ofMillis(500)).run("127.0.0.1",
                            plain.port(), LocalRedis.PASSWORD, target.topology(), LocalRedis.PASSWORD, new AlwaysHeld(p -> {
                                said.add(p);
                                if (p.contains("following")) {
                                    following.countDown();
                                }
                            }));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(following.await(60, TimeUnit.SECONDS), "the snapshot was loaded: " + said);
            // writes go on while the importer follows the stream, then stop (a cut-over)
            long atFollow = written.get();
            while (written.get() < atFollow + 500) {
                Thread.onSpinWait();
            }
            assertFalse(importing.isDone(), "the import waits for the source to go quiet: " + said);
            writing.set(false);
            writer.get(10, TimeUnit.SECONDS);

            LiveImport.Imported imported = importing.get(90, TimeUnit.SECONDS);

            assertTrue(imported.commands() > 0, "commands applied: " + imported);
            assertEquals(0, imported.behind(), imported.toString());
            // the source's offset may have moved on since by a PING it sends replicas every 10 s (14 bytes)
            long sourceOffset = Long.parseLong(RedisInfo.fields(source.sync().info("replication"))
                    .get("master_repl_offset"));
            assertTrue(sourceOffset - imported.offset() >= 0 && sourceOffset - imported.offset() <= 14,
                    "stopped at " + imported.offset() + ", the source is at " + sourceOffset);
            assertSame(source.sync(), target.sync());
            assertEquals(source.sync().get("counter"), target.sync().get("counter"));
            long ttl = target.sync().ttl("key:" + 40_000);
            assertTrue(ttl > 3000, "expiry set by the stream: " + ttl);
        } finally {
            client.shutdown();
        }
    }
}

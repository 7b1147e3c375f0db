package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Backups and restore on the lab: a backup taken while a verifying client writes, restored into a cluster of another
 * shape, holds every key written before the backup started, with its value; a restore from a backup whose file was
 * damaged, or is missing, fails saying so and writes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupIT {

    private static final String TENANT = "backups";

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
    private final List<Long> clusters = new ArrayList<>();
    /** Each cluster's password, as its creation answered it (the only time it is shown). */
    private final Map<Long, String> passwords = new HashMap<>();
    private Scheduler redisCtl;
    private Scheduler scheduler;
    /** A plain Redis (no cluster) on the lab, the source of the imports, or null. */
    private String plainApp;

    /** A cluster of this scenario: its id, password and instances' addresses. */
    private record Cluster(long id, String password, List<String> addresses) {
    }

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        String token = operator.issueTenantToken(TENANT);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(token);
        scheduler = operator.as(token);
    }

    @AfterAll
    void tearDown() {
        if (plainApp != null) {
            scheduler.put("/apps/" + plainApp + "/scale", Map.of("replicas", 0));
            await("plain Redis removed").atMost(Duration.ofSeconds(60)).until(() -> {
                scheduler.delete("/apps/" + plainApp);
                return scheduler.get("/apps/" + plainApp).status() == 404;
            });
        }
        for (long id : clusters) {
            await("cluster deleted").atMost(Duration.ofSeconds(90)).until(() -> {
                redisCtl.delete("/clusters/" + id);
                return redisCtl.get("/clusters/" + id).status() == 404;
            });
        }
    }

    private long create(String name, int masters) {
        return create(name, masters, 0.1);
    }

    private long create(String name, int masters, double cpu) {
        JsonNode created = redisCtl.post("/clusters", Map.of("name", name + "-" + suffix, "pod", "lab",
                "masters", masters, "replicas", 0, "cpu", cpu, "memory", "64MiB", "persistence", "none"))
                .expect(202).body();
        long id = created.get("id").asLong();
        clusters.add(id);
        passwords.put(id, created.get("password").asText());
        return id;
    }

    private Cluster ready(long id, String password) {
        JsonNode view = await("cluster " + id + " ready").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).until(() -> redisCtl.get("/clusters/" + id).expect(200).body(),
                        v -> v.get("state").asText().equals("ready") && v.get("task") != null
                                && v.get("task").get("state").asText().equals("done"));
        List<String> addresses = new ArrayList<>();
        view.get("instances").forEach(i -> addresses.add(i.get("address").asText()));
        return new Cluster(id, password, addresses);
    }

    private JsonNode awaitTask(long task) {
        return await("task " + task).atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> redisCtl.get("/tasks/" + task).expect(200).body(),
                        t -> !t.get("state").asText().equals("running") && !t.get("state").asText().equals("pending"));
    }

    @Test
    void aBackupUnderLoadRestoresIntoAnotherShapeAndADamagedOneIsRefused() throws Exception {
        long sourceId = create("src", 3);
        long targetId = create("dst", 2);
        long damagedId = create("dmg", 1);
        Cluster source = ready(sourceId, passwordOf(sourceId));
        Cluster target = ready(targetId, passwordOf(targetId));
        Cluster damaged = ready(damagedId, passwordOf(damagedId));

        JsonNode backup;
        long backupStartedAt;
        try (VerifyingLoad load = new VerifyingLoad(source.addresses().get(0), source.password())) {
            load.preload(20_000);
            load.start(2);
            Thread.sleep(1_000);
            backupStartedAt = System.nanoTime();
            long started = System.nanoTime();
            JsonNode taken = redisCtl.post("/clusters/" + source.id() + "/backups", Map.of()).expect(202).body();
            long backupId = taken.get("id").asLong();
            backup = await("backup done").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> redisCtl.get("/backups/" + backupId).expect(200).body(),
                            b -> !b.get("state").asText().equals("running"));
            double took = (System.nanoTime() - started) / 1e9;
            Thread.sleep(500);
            load.stop();
            assertEquals("done", backup.get("state").asText(), backup.toString());
            assertEquals(3, backup.get("files").size(), "one file per master: " + backup);
            System.out.printf("backups: a backup of %d keys (%d bytes) under load took %.1f s; %d writes meanwhile%n",
                    backup.get("keys").asLong(), backup.get("bytes").asLong(), took, load.writes());
            assertTrue(load.writes() > 500, "writes were in flight: " + load.writes());

            // into a cluster of two masters: every key acknowledged before the backup started is there
            long started2 = System.nanoTime();
            JsonNode restore = redisCtl.post("/clusters/" + target.id() + "/restore", Map.of("backup", backupId))
                    .expect(202).body();
            JsonNode restored = awaitTask(restore.get("id").asLong());
            double restoreTook = (System.nanoTime() - started2) / 1e9;
            assertEquals("done", restored.get("state").asText(), restored.toString());
            List<String> missing = load.missingFrom(target.addresses().get(0), target.password(), backupStartedAt);
            System.out.printf("backups: restored into 2 masters in %.1f s; %d of the keys acknowledged before the "
                    + "backup started are missing or wrong%n", restoreTook, missing.size());
            assertEquals(List.of(), missing.stream().limit(10).toList(), missing.size() + " keys missing or wrong");
        }

        // a damaged file: refused before anything is written
        long backupId = backup.get("id").asLong();
        Path file = fileOf(backupId, backup.get("files").get(0).get("name").asText());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() / 2);
            int b = raf.read();
            raf.seek(raf.length() / 2);
            raf.write(b ^ 0xff);
        }
        JsonNode refused = awaitTask(redisCtl.post("/clusters/" + damaged.id() + "/restore",
                Map.of("backup", backupId)).expect(202).body().get("id").asLong());
        assertEquals("failed", refused.get("state").asText(), refused.toString());
        String why = refused.get("error").asText();
        assertTrue(why.contains(backup.get("files").get(0).get("name").asText()) && (why.toLowerCase().contains(
                "sha-256") || why.toLowerCase().contains("checksum")), "the error names the file and its checksum: "
                + why);
        assertEquals(0, keys(damaged), "nothing was written");

        // a missing file: the same (a failed restore leaves its cluster ready, and empty)
        Files.delete(file);
        JsonNode missing = awaitTask(redisCtl.post("/clusters/" + damaged.id() + "/restore",
                Map.of("backup", backupId)).expect(202).body().get("id").asLong());
        assertEquals("failed", missing.get("state").asText(), missing.toString());
        assertTrue(missing.get("error").asText().contains(backup.get("files").get(0).get("name").asText()),
                "the error names the missing file: " + missing);
        assertEquals(0, keys(damaged), "nothing was written");
    }

    /**
     * A plain Redis (no cluster) of 100k keys on the lab imported into a two-master cluster, every key with its value;
     * then imported again into another while a client writes to it, the writer stopped part-way as at a cut-over:
     * the second cluster ends holding exactly what the source holds.
     */
    @Test
    void aPlainRedisIsImportedWholeAndWhileItIsWritten() throws Exception {
        // half a core each, so that the import is timed rather than the targets' CPU limit
        long offlineId = create("imp", 2, 0.5);
        long liveId = create("live", 2, 0.5);
        String sourcePassword = "plain-" + suffix;
        String source = plainRedis(sourcePassword);
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> plain = client.connect(RedisURI.builder().withHost(source)
                .withPort(6379).withAuthentication("default", sourcePassword.toCharArray()).build())) {
            long started = System.nanoTime();
            fill(plain.async(), 100_000);
            System.out.printf("imports: 100,000 keys written to a plain Redis in %.1f s%n",
                    (System.nanoTime() - started) / 1e9);

            Cluster offline = ready(offlineId, passwordOf(offlineId));
            // a password too long to keep (sealed) while the import runs is refused before anything starts
            JsonNode tooLong = redisCtl.post("/clusters/" + offline.id() + "/import", Map.of("source",
                    source + ":6379", "sourcePassword", "p".repeat(241))).expect(400).body();
            assertTrue(tooLong.get("message").asText().contains("longer than 240 characters"), tooLong.toString());
            started = System.nanoTime();
            JsonNode imported = awaitTask(redisCtl.post("/clusters/" + offline.id() + "/import",
                    Map.of("source", source + ":6379", "sourcePassword", sourcePassword)).expect(202).body()
                    .get("id").asLong());
            double took = (System.nanoTime() - started) / 1e9;
            assertEquals("done", imported.get("state").asText(), imported.toString());
            List<String> differ = differences(plain, offline);
            System.out.printf("imports: 100,000 keys imported from a plain Redis in %.1f s; %d differ%n", took,
                    differ.size());
            assertEquals(List.of(), differ.stream().limit(10).toList(), differ.size() + " keys missing or wrong");

            // online: the source keeps being written while the import loads its snapshot and follows it
            Cluster live = ready(liveId, passwordOf(liveId));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong writes = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (StatefulRedisConnection<String, String> w = client.connect(RedisURI.builder()
                        .withHost(source).withPort(6379)
                        .withAuthentication("default", sourcePassword.toCharArray()).build())) {
                    for (long n = 0; writing.get(); n++) {
                        w.sync().set("live:" + n, "w-" + n);
                        w.sync().hset("h:" + (n % 5_000) * 20, "c", String.valueOf(n));
                        w.sync().set("s:" + (2 + 20 * (n % 4_000)), "overwritten-" + n);
                        if (n % 3 == 0) {
                            w.sync().del("live:" + (n / 2));
                        }
                        writes.incrementAndGet();
                    }
                }
            }, "source-writer");
            writer.start();
            long task = redisCtl.post("/clusters/" + live.id() + "/import",
                    Map.of("source", source + ":6379", "sourcePassword", sourcePassword)).expect(202).body()
                    .get("id").asLong();
            try {
                // past the snapshot: the writes now arrive as the source's command stream
                await("the import follows the source").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> redisCtl.get("/tasks/" + task).expect(200).body(), t -> !t.get("state").asText()
                                .equals("running") || t.path("progress").asText().contains("follow"));
                // two more seconds of writes that only the command stream carries (a load, not a wait)
                Thread.sleep(2_000);
            } finally {
                writing.set(false);
                writer.join();
            }
            JsonNode followed = awaitTask(task);
            assertEquals("done", followed.get("state").asText(), followed.toString());
            assertTrue(writes.get() > 1_000, "the source was written during the import: " + writes.get());
            List<String> differLive = differences(plain, live);
            System.out.printf("imports: a live import under %d write rounds to the source; %d keys differ%n",
                    writes.get(), differLive.size());
            assertEquals(List.of(), differLive.stream().limit(10).toList(),
                    differLive.size() + " keys missing or wrong");
        } finally {
            client.shutdown();
        }
    }

    /** A plain Redis on the lab, as a tenant runs one: its address. */
    private String plainRedis(String password) {
        plainApp = "plain-" + suffix;
        scheduler.post("/apps", Map.of("name", plainApp, "pod", "lab", "image", lab.lab("image.redis"), "cpu", 0.5,
                "memory", "256MiB", "probe", Map.of("tcp", 6379), "stopGraceSeconds", 2, "command", List.of(
                        "redis-server", "--port", "6379", "--requirepass", password, "--save", "",
                        "--protected-mode", "no"))).expect(201);
        long container = scheduler.post("/apps/" + plainApp + "/containers", Map.of("count", 1)).expect(201).body()
                .get(0).get("id").asLong();
        JsonNode ready = await("plain Redis ready").atMost(Duration.ofSeconds(60))
                .until(() -> scheduler.get("/containers/" + container).expect(200).body(),
                        c -> c.get("ready").asBoolean());
        return ready.get("address").asText();
    }

    /** Keys {@code s:i} (strings), {@code h:i} (hashes, every 20th) and {@code l:i} (lists, the one after). */
    private static void fill(RedisAsyncCommands<String, String> c, int count) {
        List<RedisFuture<?>> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (i % 20 == 0) {
                batch.add(c.hset("h:" + i, Map.of("a", String.valueOf(i), "b", "x" + i)));
            } else if (i % 20 == 1) {
                batch.add(c.rpush("l:" + i, "a", "b", String.valueOf(i)));
            } else {
                batch.add(c.set("s:" + i, "value-" + i + "-" + "p".repeat(i % 50)));
            }
            if (batch.size() == 2_000 || i == count - 1) {
                assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(30), batch.toArray(RedisFuture[]::new)));
                batch.clear();
            }
        }
    }

    /** Every key of the plain Redis that the cluster lacks or holds otherwise, and every key it has besides. */
    private static List<String> differences(StatefulRedisConnection<String, String> plain, Cluster cluster) {
        RedisClusterClient clusterClient = RedisClusterClient.create(RedisURI.builder()
                .withHost(cluster.addresses().get(0)).withPort(6379)
                .withAuthentication("default", cluster.password().toCharArray()).build());
        try (StatefulRedisClusterConnection<String, String> target = clusterClient.connect()) {
            List<String> differ = new ArrayList<>();
            long keys = 0;
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> scanned = plain.sync().scan(cursor, ScanArgs.Builder.limit(2_000));
                List<String> page = scanned.getKeys();
                keys += page.size();
                Map<String, RedisFuture<?>> want = values(plain.async(), page);
                Map<String, RedisFuture<?>> have = values(target.async(), page);
                for (String key : page) {
                    Object expected = want.get(key).toCompletableFuture().join();
                    Object actual = have.get(key).toCompletableFuture().join();
                    if (!Objects.equals(expected, actual)) {
                        differ.add(key + ": " + actual + " instead of " + expected);
                    }
                }
                cursor = scanned;
            } while (!cursor.isFinished());
            long held = keys(cluster);
            if (held != keys) {
                differ.add("the cluster holds " + held + " keys, the source " + keys);
            }
            return differ;
        } finally {
            clusterClient.shutdown();
        }
    }

    private static Map<String, RedisFuture<?>> values(RedisClusterAsyncCommands<String, String> c,
            List<String> keys) {
        Map<String, RedisFuture<?>> values = new HashMap<>();
        for (String key : keys) {
            values.put(key, key.startsWith("h:") ? c.hgetall(key) : key.startsWith("l:") ? c.lrange(key, 0, -1)
                    : c.get(key));
        }
        return values;
    }

    private String passwordOf(long id) {
        return passwords.get(id);
    }

    /** Keys on every instance of the cluster. */
    private static long keys(Cluster c) {
        long total = 0;
        RedisClient client = RedisClient.create();
        try {
            for (String address : c.addresses()) {
                try (StatefulRedisConnection<String, String> conn = client.connect(RedisURI.builder()
                        .withHost(address).withPort(6379)
                        .withAuthentication("default", c.password().toCharArray()).build())) {
                    total += conn.sync().dbsize();
                }
            }
        } finally {
            client.shutdown();
        }
        return total;
    }

    /** The backup's file {@code name} in redis-ctl's local backup store. */
    private Path fileOf(long backupId, String name) throws IOException {
        try (Stream<Path> all = Files.walk(lab.dataDir.resolve("backups"))) {
            return all.filter(p -> p.getFileName().toString().equals(name)
                            && p.getParent().getFileName().toString().equals(String.valueOf(backupId)))
                    .findFirst().orElseThrow(() -> new AssertionError("no file " + name + " of backup " + backupId
                            + " under " + lab.dataDir.resolve("backups")));
        }
    }
}

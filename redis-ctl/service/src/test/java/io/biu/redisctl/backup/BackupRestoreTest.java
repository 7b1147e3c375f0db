package io.biu.redisctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.BackupFile;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.task.AlwaysHeld;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of a real three-master cluster taken while it is written to, restored into a two-master one: every key
 * written before the backup comes back with its value and expiry; a damaged or missing file fails before any write.
 */
class BackupRestoreTest {

    private static final Duration NO_WAIT = Duration.ofSeconds(60);

    private static LocalCluster source;
    private static ExecutorService executor;
    private static final RedisAdmin REDIS = new RedisAdmin();
    /** Every key written before the backup, with what it holds. */
    private static final Map<String, Object> BEFORE = new LinkedHashMap<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void sourceWithData() {
        executor = Executors.newFixedThreadPool(4);
        // one master streams its snapshot (diskless), the others send it from disk: both answers of SYNC are read
        source = LocalCluster.start(3);
        source.on(0, r -> r.configSet("repl-diskless-sync", "no"));
        RedisAdvancedClusterCommands<String, String> c = source.sync();
        for (int i = 0; i < 3000; i++) {
            put(c, "s:" + i, "value-" + i);
        }
        for (int i = 0; i < 200; i++) {
            Map<String, String> h = Map.of("a", "1", "b", "two", "c", "x" + i);
            c.hset("h:" + i, h);
            BEFORE.put("h:" + i, h);
        }
        Map<String, String> bigHash = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            bigHash.put("field-" + i, "value-" + i);
        }
        c.hset("h:big", bigHash);
        BEFORE.put("h:big", bigHash);
        for (int i = 0; i < 100; i++) {
            List<String> list = List.of("x", "y", "z", String.valueOf(i));
            c.rpush("l:" + i, list.toArray(String[]::new));
            BEFORE.put("l:" + i, list);
        }
        List<String> bigList = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            bigList.add("item-" + i);
        }
        c.rpush("l:big", bigList.toArray(String[]::new));
        BEFORE.put("l:big", bigList);
        c.sadd("set:ints", "1", "2", "3", "42");
        BEFORE.put("set:ints", Set.of("1", "2", "3", "42"));
        c.sadd("set:words", "alpha", "beta", "gamma");
        BEFORE.put("set:words", Set.of("alpha", "beta", "gamma"));
        List<ScoredValue<String>> zset = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            zset.add(ScoredValue.just(i * 1.5, "m" + i));
        }
        c.zadd("z:big", zset.toArray(new Object[0]));
        BEFORE.put("z:big", zset);
        c.zadd("z:small", 1.0, "one", 2.0, "two");
        BEFORE.put("z:small", List.of(ScoredValue.just(1.0, "one"), ScoredValue.just(2.0, "two")));
        c.setex("ttl:key", 3600, "expires");
        BEFORE.put("ttl:key", "expires");
        put(c, "{user:1}:name", "ann");
        put(c, "{user:1}:mail", "ann@example.org");
    }

    private static void put(RedisAdvancedClusterCommands<String, String> c, String key, String value) {
        c.set(key, value);
        BEFORE.put(key, value);
    }

    @AfterAll
    static void stop() {
        if (source != null) {
            source.close();
        }
        executor.shutdownNow();
    }

    /** A backup taken while a writer adds keys, into {@code store}; the writer's count of acknowledged keys. */
    private List<BackupFile> backupUnderLoad(BackupStore store, String folder) throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            RedisAdvancedClusterCommands<String, String> c = source.sync();
            while (writing.get()) {
                c.set("load:" + written.get(), "x");
                written.incrementAndGet();
            }
        });
        writer.start();
        try {
            List<BackupFile> files = new Snapshots(new RdbFetch(Duration.ofSeconds(5), NO_WAIT), store, executor)
                    .take(folder, masters(source.topology()), LocalRedis.PASSWORD, AlwaysHeld.quiet());
            assertTrue(written.get() > 0, "the writer wrote while the snapshots were taken");
            return new Verifier(store, ForkJoinPool.commonPool()).verify(folder, files, p -> { });
        } finally {
            writing.set(false);
            writer.join();
        }
    }

    private static List<Topology.Node> masters(Topology topology) {
        return topology.liveMasters().stream().filter(m -> !m.slots().isEmpty()).toList();
    }

    @Test
    void snapshotsOfMastersUnderWritesRecordTheirSlotsAndChecksums() throws Exception {
        LocalBackupStore store = new LocalBackupStore(dir.resolve("backups"));
        List<BackupFile> files = backupUnderLoad(store, "acme/shop/1");

        Topology topology = source.topology();
        assertEquals(3, files.size());
        long keys = 0;
        for (BackupFile file : files) {
            Topology.Node master = topology.node(file.master());
            assertEquals(Snapshots.ranges(master.slots()), file.slots(), "slots of " + file.name());
            assertEquals("127.0.0.1:" + master.port(), file.address());
            Path path = dir.resolve("backups/acme/shop/1/" + file.name());
            byte[] content = Files.readAllBytes(path);
            assertEquals(file.bytes(), content.length);
            assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)),
                    file.sha256());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            keys += file.keys();
        }
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("backups/acme/shop/1"))));
        assertTrue(keys >= BEFORE.size(), keys + " keys in the files, " + BEFORE.size() + " written before");
        assertEquals(List.of("acme/shop/1/" + files.get(0).name(), "acme/shop/1/" + files.get(1).name(),
                "acme/shop/1/" + files.get(2).name()).stream().sorted().toList(), store.list("acme/shop/1"));
    }

    @Test
    void aBackupOfThreeMastersRestoresIntoTwoWithEveryKeyAndItsValue() throws Exception {
        LocalBackupStore store = new LocalBackupStore(dir);
        List<BackupFile> files = backupUnderLoad(store, "acme/shop/2");
        try (LocalCluster target = LocalCluster.start(2)) {
            Loader.Loaded loaded = new Loader(REDIS, 100, Clock.systemUTC(), ForkJoinPool.commonPool())
                    .load(store, "acme/shop/2", files, target.topology(), LocalRedis.PASSWORD, AlwaysHeld.quiet());

            long inFiles = files.stream().mapToLong(BackupFile::keys).sum();
            assertEquals(inFiles, loaded.written());
            assertEquals(inFiles, target.keys());
            RedisAdvancedClusterCommands<String, String> c = target.sync();
            for (Map.Entry<String, Object> e : BEFORE.entrySet()) {
                assertHolds(c, e.getKey(), e.getValue());
            }
            long ttl = c.pttl("ttl:key");
            assertTrue(ttl > 3500_000 && ttl <= 3600_000, "ttl:key expires in " + ttl + " ms");
            assertEquals(-1, c.pttl("s:1"));
        }
    }

    private static void assertHolds(RedisAdvancedClusterCommands<String, String> c, String key, Object expected) {
        String type = c.type(key);
        switch (type) {
            case "string" -> assertEquals(expected, c.get(key), key);
            case "hash" -> assertEquals(expected, c.hgetall(key), key);
            case "list" -> assertEquals(expected, c.lrange(key, 0, -1), key);
            case "set" -> assertEquals(expected, c.smembers(key), key);
            case "zset" -> assertEquals(expected, c.zrangeWithScores(key, 0, -1), key);
            default -> throw new AssertionError(key + " is a " + type + " in the restored cluster");
        }
    }

    @Test
    void aCorruptFileFailsTheCheckNamingItAndItsChecksum() throws Exception {
        LocalBackupStore store = new LocalBackupStore(dir);
        List<BackupFile> files = backupUnderLoad(store, "acme/shop/3");
        Path damaged = dir.resolve("acme/shop/3/" + files.get(1).name());
        byte[] content = Files.readAllBytes(damaged);
        content[content.length / 2] ^= 0x01;
        Files.write(damaged, content);

        CtlException e = assertThrows(CtlException.class,
                () -> new Verifier(store, ForkJoinPool.commonPool()).verify("acme/shop/3", files, p -> { }));
        assertTrue(e.getMessage().contains(files.get(1).name()) && e.getMessage().contains("SHA-256")
                && e.getMessage().contains("nothing was restored"), e.getMessage());
    }

    @Test
    void aMissingFileFailsTheCheckNamingIt() throws Exception {
        LocalBackupStore store = new LocalBackupStore(dir);
        List<BackupFile> files = backupUnderLoad(store, "acme/shop/4");
        Files.delete(dir.resolve("acme/shop/4/" + files.get(2).name()));

        CtlException e = assertThrows(CtlException.class,
                () -> new Verifier(store, ForkJoinPool.commonPool()).verify("acme/shop/4", files, p -> { }));
        assertTrue(e.getMessage().contains(files.get(2).name()) && e.getMessage().contains("missing"),
                e.getMessage());
    }

    @Test
    void aFileCutShortDoesNotReadAsAnRdb() throws Exception {
        LocalBackupStore store = new LocalBackupStore(dir);
        List<BackupFile> files = backupUnderLoad(store, "acme/shop/5");
        byte[] content = Files.readAllBytes(dir.resolve("acme/shop/5/" + files.get(0).name()));
        byte[] cut = java.util.Arrays.copyOf(content, content.length * 2 / 3);

        IOException e = assertThrows(IOException.class,
                () -> RdbKeys.read(new java.io.ByteArrayInputStream(cut), "the file", key -> { }));
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().startsWith("the file"), e.getMessage());
    }

    @Test
    void aRestoreChecksEveryFileAndTheTargetBeforeItWrites() {
        // the task runner runs steps in order and stops at the first that fails: nothing is loaded before both checks
        assertEquals(List.of(TaskKind.Restore.VERIFY, TaskKind.Restore.CHECK_EMPTY, TaskKind.Restore.LOAD),
                TaskKind.RESTORE.steps());
    }

    @Test
    void theStoreLeavesNothingUnderANameWhoseWritingFailed() throws Exception {
        LocalBackupStore store = new LocalBackupStore(dir);
        assertThrows(IOException.class, () -> store.put("a/b/c.rdb", out -> {
            out.write(new byte[100]);
            throw new IOException("the master went away");
        }));
        assertFalse(store.exists("a/b/c.rdb"));
        assertEquals(List.of(), store.list("a/b"));
        store.put("a/b/c.rdb", out -> out.write(1));
        try (InputStream in = store.open("a/b/c.rdb")) {
            assertEquals(1, in.readAllBytes().length);
        }
        store.delete("a");
        assertEquals(List.of(), store.list("a"));
    }
}

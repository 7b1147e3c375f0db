package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** A cluster of this scenario: its id, password and instances' addresses. */
    private record Cluster(long id, String password, List<String> addresses) {
    }

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(operator.issueTenantToken(TENANT));
    }

    @AfterAll
    void tearDown() {
        for (long id : clusters) {
            await("cluster deleted").atMost(Duration.ofSeconds(90)).until(() -> {
                redisCtl.delete("/clusters/" + id);
                return redisCtl.get("/clusters/" + id).status() == 404;
            });
        }
    }

    private long create(String name, int masters) {
        JsonNode created = redisCtl.post("/clusters", Map.of("name", name + "-" + suffix, "pod", "lab",
                "masters", masters, "replicas", 0, "cpu", 0.1, "memory", "64MiB", "persistence", "none"))
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

    private String passwordOf(long id) {
        return passwords.get(id);
    }

    /** Keys on every instance of the cluster. */
    private long keys(Cluster c) {
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

package io.biu.redisctl.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.backup.Backup;
import io.biu.redisctl.backup.BackupRepository;
import io.biu.redisctl.backup.BackupService;
import io.biu.redisctl.backup.LocalCluster;
import io.biu.redisctl.backup.LocalRedis;
import io.biu.redisctl.client.BackupState;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.RestoreRequest;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Backups and restores halted right after each of their steps in turn, on real Redis servers: the halted process
 * stops where it is (its lease left to lapse), and a fresh one (a task store and runner of its own, without the
 * setting) takes the task over and finishes it. Each backup ends complete, holding every key of its cluster; each
 * restore ends with every key of the backup in the target, valued as in the source.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupCrashTest {

    private static final Caller TEAM = new Caller("ci", TokenKind.TENANT, "team");

    private final Map<String, String> written = new LinkedHashMap<>();
    private Path dir;
    private LocalCluster source;
    private LocalCluster target;
    private ApplicationContext context;
    private Processes processes;
    private BackupRepository backups;
    private BackupService service;
    private Cluster sourceRow;
    private Cluster targetRow;
    /** A complete backup of the source, taken without a halt: what each restore restores. */
    private Backup taken;

    @BeforeAll
    void start() throws IOException {
        dir = Files.createTempDirectory("backup-crash");
        source = LocalCluster.start(3);
        target = LocalCluster.start(2);
        RedisAdvancedClusterCommands<String, String> c = source.sync();
        for (int i = 0; i < 3_000; i++) {
            written.put("k:" + i, "value-" + i);
            c.set("k:" + i, "value-" + i);
        }
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:backup-crash-" + System.nanoTime()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.redis-ctl.background", "false",
                "biu.redis-ctl.task-lease", "1s",
                "biu.redis-ctl.task-takeover-grace", "300ms",
                "biu.redis-ctl.backup.dir", dir.toString()));
        processes = new Processes(context);
        backups = context.getBean(BackupRepository.class);
        service = context.getBean(BackupService.class);
        sourceRow = register("source", source);
        targetRow = register("target", target);
        Backup first = service.start(TEAM, sourceRow.id());
        processes.finish(first.taskId());
        taken = backups.findById(first.id()).orElseThrow();
    }

    @AfterAll
    void stop() throws IOException {
        if (processes != null) {
            processes.close();
        }
        if (context != null) {
            context.close();
        }
        if (source != null) {
            source.close();
        }
        if (target != null) {
            target.close();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** The cluster's record as redis-ctl keeps it: one active master per local server. */
    private Cluster register(String name, LocalCluster redis) {
        Instant now = Instant.now();
        Cluster cluster = context.getBean(ClusterRepository.class).save(new Cluster(null, TEAM.actingTenant(), name,
                "lab", "redis-" + name, redis.ports().size(), 0, BigDecimal.ONE, 64 << 20, 48 << 20,
                Persistence.NONE, "noeviction", LocalRedis.PASSWORD, null, ClusterState.READY, now, now));
        InstanceRepository instances = context.getBean(InstanceRepository.class);
        int shard = 0;
        for (int port : redis.ports()) {
            instances.save(new Instance(null, cluster.id(), port, "redis-" + name + "-" + shard, "node1",
                    "127.0.0.1", port, shard++, Role.MASTER, null, now, InstanceState.ACTIVE, null, null));
        }
        return cluster;
    }

    @ParameterizedTest
    @EnumSource(TaskKind.Backup.class)
    void aBackupHaltedAfterAnyStepIsFinishedByAFreshProcessHoldingEveryKey(TaskKind.Backup step) {
        Backup backup = service.start(TEAM, sourceRow.id());
        processes.haltAfter(step, backup.taskId());
        processes.finish(backup.taskId());

        Backup done = backups.findById(backup.id()).orElseThrow();
        assertEquals(BackupState.DONE, done.state(), done.toString());
        assertEquals(source.keys(), done.keys(), "every key of the cluster, read back from the files");
        assertTrue(done.bytes() > 0, done.toString());
    }

    @ParameterizedTest
    @EnumSource(TaskKind.Restore.class)
    void aRestoreHaltedAfterAnyStepIsFinishedByAFreshProcessWithEveryKeyAndItsValue(TaskKind.Restore step) {
        for (int i = 0; i < target.ports().size(); i++) {
            target.on(i, RedisCommands::flushall);
        }
        Task restore = service.restore(TEAM, targetRow.id(), new RestoreRequest(taken.id()));
        processes.haltAfter(step, restore.id());
        processes.finish(restore.id());

        assertEquals(taken.keys(), target.keys(), "every key of the backup is in the target");
        RedisAdvancedClusterCommands<String, String> c = target.sync();
        List<String> wrong = new ArrayList<>();
        written.forEach((key, value) -> {
            String held = c.get(key);
            if (!value.equals(held)) {
                wrong.add(key + "=" + held);
            }
        });
        assertEquals(List.of(), wrong.stream().limit(10).toList(), wrong.size() + " keys missing or wrong");
    }
}

package io.biu.redisctl.backup;

import io.biu.redisctl.client.BackupFile;
import io.biu.redisctl.client.BackupState;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.task.StepHandler;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskContext;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a backup ({@link TaskKind.Backup}): every live master's snapshot into the store, then every file read back in
 * full, then the backup recorded as complete with its manifest. The task's subject is the backup. A step run again
 * after a crash takes or checks its files again; a backup that fails has its files removed.
 */
@Singleton
final class Backups implements StepHandler<TaskKind.Backup> {

    private static final Logger LOG = LoggerFactory.getLogger(Backups.class);

    private final BackupRepository backups;
    private final LiveCluster live;
    private final BackupStore store;
    private final Snapshots snapshots;
    private final Verifier verifier;
    private final FileList files;
    private final Clock clock;

    Backups(BackupRepository backups, LiveCluster live, BackupStore store, RdbFetch fetch, FileList files,
            Clock clock, @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.backups = backups;
        this.live = live;
        this.store = store;
        this.snapshots = new Snapshots(fetch, store, executor);
        this.verifier = new Verifier(store, executor);
        this.files = files;
        this.clock = clock;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.BACKUP;
    }

    @Override
    public Class<TaskKind.Backup> steps() {
        return TaskKind.Backup.class;
    }

    @Override
    public StepCode code(TaskKind.Backup step, Cluster cluster, Task task) {
        return switch (step) {
            case SNAPSHOT -> context -> snapshot(cluster, backup(task), context);
            case VERIFY -> context -> verify(backup(task), context);
            case RECORD -> context -> record(backup(task), context);
        };
    }

    private Backup backup(Task task) {
        return backups.findById(task.subject()).orElseThrow(() -> new IllegalStateException("task " + task.id()
                + " takes backup " + task.subject() + ", which is no longer recorded"));
    }

    private void snapshot(Cluster cluster, Backup backup, TaskContext context) {
        List<Topology.Node> masters = live.topology(cluster).liveMasters().stream()
                .filter(m -> !m.slots().isEmpty()).toList();
        if (masters.isEmpty()) {
            throw new IllegalStateException("cluster " + cluster.name() + " has no live master with slots");
        }
        // a backup that lacks a shard would pass for complete, and retention would delete the ones that hold it
        long covered = masters.stream().flatMap(m -> m.slots().stream()).distinct().count();
        if (covered != 16384) {
            throw new IllegalStateException("the live masters of cluster " + cluster.name() + " serve " + covered
                    + " of 16384 slots: a master is down, and a backup covers every slot (it is tried again)");
        }
        context.progress("taking the snapshots of " + masters.size() + " masters");
        List<BackupFile> taken = snapshots.take(backup.folder(), masters, cluster.password(), context);
        long bytes = taken.stream().mapToLong(BackupFile::bytes).sum();
        backups.update(backup.withFiles(files.write(taken), bytes, 0));
        context.progress(taken.size() + " snapshots taken, " + bytes + " bytes");
    }

    private void verify(Backup backup, TaskContext context) {
        List<BackupFile> checked = verifier.verify(backup.folder(), files.read(backup), context::progress);
        long keys = checked.stream().mapToLong(BackupFile::keys).sum();
        backups.update(backup.withFiles(files.write(checked), backup.bytes(), keys));
        context.progress(checked.size() + " files read back in full, " + keys + " keys");
    }

    private void record(Backup backup, TaskContext context) {
        Backup done = backup.done(clock.instant());
        Manifest manifest = new Manifest(done.id(), done.tenant(), done.clusterName(), done.startedAt(),
                done.finishedAt(), done.bytes(), done.keys(), files.read(done));
        try {
            byte[] json = files.write(manifest).getBytes(StandardCharsets.UTF_8);
            store.put(done.folder() + "/" + Manifest.NAME, out -> out.write(json));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest of backup " + done.id() + ": " + e.getMessage(),
                    e);
        }
        backups.update(done);
        context.progress("backup " + done.id() + " is complete: " + done.keys() + " keys, " + done.bytes()
                + " bytes");
    }

    @Override
    public void succeeded(Cluster cluster) {
        LOG.info("cluster {}/{}: backup complete", cluster.tenant(), cluster.name());
    }

    @Override
    public void failed(Cluster cluster, String why) {
        // at most one task per cluster, so the backup still running is this task's
        for (Backup b : backups.findByClusterIdAndState(cluster.id(), BackupState.RUNNING)) {
            backups.update(b.failed(why, clock.instant()));
            try {
                store.delete(b.folder());
            } catch (IOException | RuntimeException e) {
                LOG.warn("cluster {}/{}: cannot remove the files of failed backup {}: {}", cluster.tenant(),
                        cluster.name(), b.id(), e.toString());
            }
        }
    }
}

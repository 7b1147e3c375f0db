package io.biu.redisctl.backup;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.BackupFile;
import io.biu.redisctl.client.BackupState;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.task.StepHandler;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskContext;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a backup into a cluster ({@link TaskKind.Restore}); the task's subject is the backup. Every file is read in
 * full and checked against its recorded size, checksum and key count before anything is written, and the target must
 * hold no key; only then are the keys loaded, each into the master that owns its slot. A load run again after a crash
 * writes the same keys again ({@code REPLACE}), so it resumes by starting over.
 */
@Singleton
final class Restores implements StepHandler<TaskKind.Restore> {

    private static final Logger LOG = LoggerFactory.getLogger(Restores.class);

    private final BackupRepository backups;
    private final LiveCluster live;
    private final BackupStore store;
    private final FileList files;
    private final Loader loader;
    private final Verifier verifier;

    Restores(BackupRepository backups, LiveCluster live, BackupStore store, FileList files, RedisAdmin redis,
            BackupSettings settings, Clock clock, @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.backups = backups;
        this.live = live;
        this.store = store;
        this.files = files;
        this.loader = new Loader(redis, settings.batch(), clock, executor);
        this.verifier = new Verifier(store, executor);
    }

    @Override
    public TaskKind kind() {
        return TaskKind.RESTORE;
    }

    @Override
    public Class<TaskKind.Restore> steps() {
        return TaskKind.Restore.class;
    }

    @Override
    public StepCode code(TaskKind.Restore step, Cluster cluster, Task task) {
        return switch (step) {
            case VERIFY -> context -> verify(backup(task), context);
            case CHECK_EMPTY -> context -> checkEmpty(cluster, context);
            case LOAD -> context -> load(cluster, backup(task), context);
        };
    }

    /** The complete backup the task restores. */
    private Backup backup(Task task) {
        Backup b = backups.findById(task.subject()).orElseThrow(() -> new CtlException(CtlError.NOT_FOUND,
                "backup " + task.subject() + " was deleted"));
        if (b.state() != BackupState.DONE) {
            throw new CtlException(CtlError.CONFLICT, "backup " + b.id() + " is " + b.state().id()
                    + ": only a complete backup is restored");
        }
        return b;
    }

    private void verify(Backup backup, TaskContext context) {
        List<BackupFile> checked = verifier.verify(backup.folder(), files.read(backup), context::progress);
        context.progress("backup " + backup.id() + ": " + checked.size() + " files intact, "
                + checked.stream().mapToLong(BackupFile::keys).sum() + " keys");
    }

    private void checkEmpty(Cluster cluster, TaskContext context) {
        String held = live.keysHeld(cluster);
        if (!held.isEmpty()) {
            throw new CtlException(CtlError.CONFLICT, "cluster " + cluster.name() + " is not empty (" + held
                    + "): a backup is restored only into a cluster without keys");
        }
        context.progress("cluster " + cluster.name() + " holds no key");
    }

    private void load(Cluster cluster, Backup backup, TaskContext context) {
        Loader.Loaded loaded = loader.load(store, backup.folder(), files.read(backup), live.topology(cluster),
                cluster.password(), context);
        context.progress(loaded.written() + " keys restored from backup " + backup.id()
                + (loaded.expired() > 0 ? ", " + loaded.expired() + " expired since left out" : ""));
    }

    @Override
    public void succeeded(Cluster cluster) {
        LOG.info("cluster {}/{}: restore complete", cluster.tenant(), cluster.name());
    }

    @Override
    public void failed(Cluster cluster, String why) {
        LOG.warn("cluster {}/{}: restore failed: {}", cluster.tenant(), cluster.name(), why);
    }
}

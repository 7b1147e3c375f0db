package io.biu.redisctl.backup;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.BackupSchedule;
import io.biu.redisctl.client.BackupState;
import io.biu.redisctl.client.BackupView;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.ImportRequest;
import io.biu.redisctl.client.RestoreRequest;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.cluster.ClusterService;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.task.Task;
import io.biu.redisctl.task.TaskRepository;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** Backup, restore and import requests: checked, and handed to their tasks. A tenant sees only its own backups. */
@Singleton
public class BackupService {

    /** Longest source password taken: sealed, it fills the column (1024 characters; UTF-8 takes up to 3 bytes each). */
    static final int MAX_SOURCE_PASSWORD = 240;

    private final ClusterService clusters;
    private final BackupRepository backups;
    private final DataImportRepository imports;
    private final ScheduleRepository schedules;
    private final TaskRepository tasks;
    private final BackupStore store;
    private final LiveCluster live;
    private final FileList files;
    private final Clock clock;

    BackupService(ClusterService clusters, BackupRepository backups, DataImportRepository imports,
            ScheduleRepository schedules, TaskRepository tasks, BackupStore store,
            LiveCluster live, FileList files, Clock clock) {
        this.clusters = clusters;
        this.backups = backups;
        this.imports = imports;
        this.schedules = schedules;
        this.tasks = tasks;
        this.store = store;
        this.live = live;
        this.files = files;
        this.clock = clock;
    }

    /** Starts a backup of a ready, idle cluster: the backup's record and its task. */
    @Transactional
    public Backup start(Caller caller, long clusterId) {
        Cluster cluster = clusters.lockedForTask(caller, clusterId);
        Backup backup = backups.save(Backup.started(cluster.id(), cluster.tenant(), cluster.name(), clock.instant()));
        Task task = tasks.save(Task.pending(cluster.id(), cluster.tenant(), TaskKind.BACKUP, backup.id(),
                clock.instant()));
        return backups.update(backup.withTask(task.id()));
    }

    /** A scheduled backup of {@code cluster}, as its tenant would ask for it; refused while it is busy or not ready. */
    @Transactional
    public Backup startScheduled(Cluster cluster) {
        return start(new Caller("redis-ctl", TokenKind.SERVICE, cluster.tenant()), cluster.id());
    }

    /** The cluster's schedule, or null. */
    public Schedule schedule(Caller caller, long clusterId) {
        return schedules.findById(clusters.get(caller, clusterId).id()).orElse(null);
    }

    /** Sets the cluster's schedule; its first backup is due one interval from now. */
    public Schedule schedule(Caller caller, long clusterId, BackupSchedule request) {
        Cluster cluster = clusters.get(caller, clusterId);
        Duration every = Schedule.parse(request == null ? null : request.every());
        if (every == null) {
            throw CtlException.invalid("every must be a number of minutes, hours or days: 30m, 6h or 1d");
        }
        if (every.compareTo(Schedule.SHORTEST) < 0) {
            throw CtlException.invalid("every %s is too often: back up every %d minutes or less often", request.every(),
                    Schedule.SHORTEST.toMinutes());
        }
        if (request.keep() == null || request.keep() < 1 || request.keep() > 1000) {
            throw CtlException.invalid("keep must be between 1 and 1000 backups, not %s", request.keep());
        }
        Schedule s = new Schedule(cluster.id(), every.toSeconds(), request.keep(),
                clock.instant().plus(every));
        return schedules.existsById(cluster.id()) ? schedules.update(s) : schedules.save(s);
    }

    /** Stops the cluster's schedule; its backups stay. */
    public void unschedule(Caller caller, long clusterId) {
        schedules.deleteById(clusters.get(caller, clusterId).id());
    }

    /** The backups of one of the caller's clusters, newest first. */
    public List<Backup> list(Caller caller, long clusterId) {
        return backups.findByClusterIdOrderByIdDesc(clusters.get(caller, clusterId).id());
    }

    /** The caller's backup; another tenant's is reported as absent. */
    public Backup get(Caller caller, long id) {
        String tenant = caller.actingTenant();
        return backups.findById(id).filter(b -> b.tenant().equals(tenant))
                .orElseThrow(() -> new CtlException(CtlError.NOT_FOUND, "no backup " + id));
    }

    /** Removes a backup that is neither being taken nor being restored: its files, then its record. */
    public void delete(Caller caller, long id) {
        Backup backup = get(caller, id);
        if (backup.state() == BackupState.RUNNING) {
            throw new CtlException(CtlError.CONFLICT, "backup " + id + " is being taken: delete it once its task "
                    + backup.taskId() + " is done");
        }
        remove(backup);
    }

    /** Removes a backup's files, then its record; refused while a restore reads it. */
    void remove(Backup backup) {
        if (backups.countOpenRestores(backup.id()) > 0) {
            throw new CtlException(CtlError.CONFLICT, "backup " + backup.id() + " is being restored: delete it once "
                    + "the restore is done");
        }
        try {
            store.delete(backup.folder());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the files of backup " + backup.id() + ": "
                    + e.getMessage(), e);
        }
        backups.delete(backup);
    }

    /**
     * Starts restoring one of the caller's complete backups into one of its clusters, which must be ready, idle and
     * hold no key (a cluster that holds keys is a 409, checked now and again by the task before it writes).
     */
    public Task restore(Caller caller, long clusterId, RestoreRequest request) {
        if (request == null || request.backup() == null) {
            throw CtlException.invalid("backup is missing: give the id of the backup to restore (biu cluster backups "
                    + "NAME lists them)");
        }
        Backup backup = get(caller, request.backup());
        if (backup.state() != BackupState.DONE) {
            throw new CtlException(CtlError.CONFLICT, "backup " + backup.id() + " is " + backup.state().id()
                    + ": only a complete backup is restored");
        }
        Cluster target = clusters.get(caller, clusterId);
        if (target.state() != ClusterState.READY) {
            throw new CtlException(CtlError.CONFLICT, "cluster " + target.name() + " is "
                    + target.state().name().toLowerCase() + ": a backup is restored into a ready cluster");
        }
        String held = live.keysHeld(target);
        if (!held.isEmpty()) {
            throw new CtlException(CtlError.CONFLICT, "cluster " + target.name() + " is not empty (" + held
                    + "): a backup is restored only into a cluster without keys");
        }
        return startRestore(caller, clusterId, backup);
    }

    /**
     * Starts importing into one of the caller's clusters, which must be ready, idle and hold no key: from an RDB file of
     * the tenant's import folder, or from a live Redis.
     */
    public Task importInto(Caller caller, long clusterId, ImportRequest request) {
        if (request == null || (request.rdb() == null) == (request.source() == null)) {
            throw CtlException.invalid("give exactly one of rdb (a file of your import folder) and source (host:port "
                    + "of a live Redis)");
        }
        if (request.rdb() != null && (!request.rdb().matches("[A-Za-z0-9._-]+") || ".".equals(request.rdb())
                || "..".equals(request.rdb()))) {
            throw CtlException.invalid("rdb '%s' is not a file name: name a file of your import folder, without "
                    + "folders", request.rdb());
        }
        if (request.source() != null && !request.source().matches("[A-Za-z0-9.:\\[\\]-]+:[0-9]{1,5}")) {
            throw CtlException.invalid("source '%s' is not host:port", request.source());
        }
        if (request.sourcePassword() != null && request.sourcePassword().length() > MAX_SOURCE_PASSWORD) {
            // kept sealed while the import runs: a longer one would not fit its column
            throw CtlException.invalid("sourcePassword is longer than " + MAX_SOURCE_PASSWORD + " characters");
        }
        Cluster target = clusters.get(caller, clusterId);
        String held = target.state() == ClusterState.READY ? live.keysHeld(target) : "";
        if (!held.isEmpty()) {
            throw new CtlException(CtlError.CONFLICT, "cluster " + target.name() + " is not empty (" + held
                    + "): data is imported only into a cluster without keys");
        }
        if (request.source() == null) {
            return startImport(caller, clusterId, request);
        }
        return startImport(caller, clusterId, new ImportRequest(null, reachableSource(request.source()),
                request.sourcePassword()));
    }

    /**
     * A live source as the import will reach it: its name resolved once (so it cannot point elsewhere later), and never
     * this host's own services (loopback: the bus, the services' ports) nor link-local, wildcard or multicast addresses.
     */
    static String reachableSource(String source) {
        int colon = source.lastIndexOf(':');
        String host = source.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(source.substring(colon + 1));
        if (port < 1 || port > 65535) {
            throw CtlException.invalid("source '%s' has no valid port", source);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw CtlException.invalid("source '%s': no such host", source);
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isMulticastAddress()) {
            throw CtlException.invalid("source '%s' is an address of this host or of no host: name the Redis to "
                    + "import from by an address other machines reach it at", source);
        }
        return address.getHostAddress() + ":" + port;
    }

    @Transactional
    Task startImport(Caller caller, long clusterId, ImportRequest request) {
        Cluster cluster = clusters.lockedForTask(caller, clusterId);
        DataImport source = imports.save(new DataImport(null, cluster.id(), cluster.tenant(), request.rdb(),
                request.source(), request.sourcePassword(), clock.instant()));
        return tasks.save(Task.pending(cluster.id(), cluster.tenant(), TaskKind.IMPORT, source.id(),
                clock.instant()));
    }

    @Transactional
    Task startRestore(Caller caller, long clusterId, Backup backup) {
        Cluster cluster = clusters.lockedForTask(caller, clusterId);
        return tasks.save(Task.pending(cluster.id(), cluster.tenant(), TaskKind.RESTORE, backup.id(),
                clock.instant()));
    }

    /** A backup as the API shows it. */
    public BackupView view(Backup b) {
        return new BackupView(b.id(), b.clusterId(), b.clusterName(), b.state(), b.startedAt(), b.finishedAt(),
                b.bytes(), b.keys(), files.read(b), b.taskId(), b.error());
    }
}

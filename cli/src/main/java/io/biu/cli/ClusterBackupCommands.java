package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.render.Format;
import io.biu.cli.render.ProgressPrinter;
import io.biu.cli.render.Table;
import io.biu.redisctl.client.BackupSchedule;
import io.biu.redisctl.client.BackupView;
import io.biu.redisctl.client.ClusterSpec;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Created;
import io.biu.redisctl.client.ImportRequest;
import io.biu.redisctl.client.RestoreRequest;
import io.biu.redisctl.client.TaskView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code biu cluster backup|backups|backup-schedule|restore|import}: a cluster's backups, and data brought into a
 * cluster.
 */
final class ClusterBackupCommands {

    private ClusterBackupCommands() {
    }

    @Command(name = "backup", description = "Back a cluster up: every master's snapshot, while it serves.",
            footer = {"", "Example:", "  ./biu cluster backup shop"})
    static final class Backup implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER", description = "name or id")
        String name;

        @Option(names = "--no-wait", description = "Return once the backup is accepted.")
        boolean noWait;

        @Override
        public Integer call() {
            Session session = Session.of(spec);
            Instant started = Instant.now();
            ClusterView c = Clusters.find(session, name).value();
            JsonNode accepted = session.redisCtl().post("/clusters/" + c.id() + "/backups", null);
            BackupView backup = session.redisCtl().as(accepted, BackupView.class);
            if (noWait) {
                if (session.json()) {
                    session.print(accepted);
                } else {
                    session.out().println("backup " + backup.id() + " of cluster " + name + " is being taken: `biu "
                            + "cluster backups " + name + "` follows it");
                }
                return 0;
            }
            ProgressPrinter progress = session.progress();
            new TaskWatcher(session, progress, started).await(backup.taskId(), "cluster " + name);
            JsonNode done = session.redisCtl().get("/backups/" + backup.id());
            BackupView view = session.redisCtl().as(done, BackupView.class);
            progress.finish("backup " + view.id() + " of cluster " + name + " taken in "
                    + Format.duration(Duration.between(started, Instant.now())) + ": "
                    + Format.count(view.keys(), "key") + ", " + Format.bytes(view.bytes()) + " in "
                    + Format.count(view.files().size(), "file"));
            if (session.json()) {
                session.print(done);
            }
            return 0;
        }
    }

    @Command(name = "backups", description = "List a cluster's backups, newest first.",
            footer = {"", "Example:", "  ./biu cluster backups shop"})
    static final class Backups implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER", description = "name or id")
        String name;

        @Override
        public Integer call() {
            Session session = Session.of(spec);
            ClusterView c = Clusters.find(session, name).value();
            JsonNode reply = session.redisCtl().get("/clusters/" + c.id() + "/backups");
            if (session.json()) {
                session.print(reply);
                return 0;
            }
            Table table = Table.of("ID", "STATE", "STARTED", "FINISHED", "FILES", "KEYS", "SIZE", "ERROR");
            for (BackupView b : session.redisCtl().asList(reply, BackupView.class)) {
                table.row(b.id(), b.state().id(), b.startedAt().toString(), b.finishedAt() == null ? null
                        : b.finishedAt().toString(), b.files().size(), b.keys(), Format.bytes(b.bytes()), b.error());
            }
            session.print(table, "no backups of cluster " + name + " yet: `biu cluster backup " + name
                    + "` takes one");
            return 0;
        }
    }

    @Command(name = "restore", description = "Load a backup into an empty cluster, or into a new one of any shape.",
            footer = {"", "A cluster that does not exist yet is created with --masters masters (by default as many "
                    + "as the backup has files); if the restore then fails, it is deleted again.", "", "Examples:",
                    "  ./biu cluster restore shop-copy --from 12 --masters 2", "  ./biu cluster restore shop --from 12"})
    static final class Restore implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER", description = "name or id")
        String name;

        @Option(names = "--from", required = true, paramLabel = "BACKUP",
                description = "The id of a complete backup of any of the tenant's clusters.")
        long backupId;

        @Option(names = "--masters", description = "Masters of a cluster created for the restore.")
        Integer masters;

        @Override
        public Integer call() {
            Session session = Session.of(spec);
            Instant started = Instant.now();
            BackupView backup = session.redisCtl().get("/backups/" + backupId, BackupView.class);
            if (!backup.done()) {
                throw CliException.failed("backup " + backupId + " is " + backup.state().id(),
                        "restore a complete backup: `biu cluster backups " + backup.clusterName() + "` lists them");
            }
            ProgressPrinter progress = session.progress();
            TaskWatcher watcher = new TaskWatcher(session, progress, started);
            Long created = existing(session) == null ? create(session, watcher, backup) : null;
            long clusterId = created != null ? created : existing(session).id();
            try {
                TaskView task = session.redisCtl().as(session.redisCtl().post("/clusters/" + clusterId + "/restore",
                        new RestoreRequest(backupId)), TaskView.class);
                watcher.await(task.id(), "cluster " + name);
            } catch (CliException e) {
                if (created != null) {
                    // nothing half-made: the cluster made for this restore goes again
                    session.redisCtl().delete("/clusters/" + created);
                    session.err().println("cluster " + name + ", created for the restore, is being deleted");
                }
                throw e;
            }
            progress.finish("backup " + backupId + " restored into cluster " + name + " in "
                    + Format.duration(Duration.between(started, Instant.now())) + ": "
                    + Format.count(backup.keys(), "key"));
            return 0;
        }

        private ClusterView existing(Session session) {
            return session.redisCtl().getList("/clusters", ClusterView.class).stream()
                    .filter(c -> c.name().equals(name) || String.valueOf(c.id()).equals(name)).findFirst()
                    .orElse(null);
        }

        private long create(Session session, TaskWatcher watcher, BackupView backup) {
            int shape = masters != null ? masters : backup.files().size();
            if (shape < 1) {
                throw CliException.usage("--masters must be at least 1, not " + shape);
            }
            Created c = session.redisCtl().as(session.redisCtl().post("/clusters", new ClusterSpec(name, null, shape,
                    null, null, null, null, null)), Created.class);
            session.err().println("cluster " + name + " (id " + c.id() + ") created for the restore; its password "
                    + "(shown only now, keep it): " + c.password());
            watcher.await(c.taskId(), "cluster " + name);
            return c.id();
        }
    }

    @Command(name = "import", description = "Bring data into an empty cluster from an RDB file or a live Redis.",
            footer = {"", "--rdb names a file of the tenant's import folder on redis-ctl's host; --source is a "
                    + "live Redis, followed until the import has caught up with its writes.", "", "Examples:",
                    "  ./biu cluster import shop --rdb dump.rdb",
                    "  ./biu cluster import shop --source 10.0.0.5:6379 --source-password-file ~/.src-pw"})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER", description = "name or id")
        String name;

        @Option(names = "--rdb", paramLabel = "FILE", description = "An RDB file of the tenant's import folder.")
        String rdb;

        @Option(names = "--source", paramLabel = "HOST:PORT", description = "A live Redis to import from.")
        String source;

        @Option(names = "--source-password-file", paramLabel = "FILE",
                description = "A file holding the source's password (never on the command line).")
        Path passwordFile;

        @Override
        public Integer call() {
            if ((rdb == null) == (source == null)) {
                throw CliException.usage("give exactly one of --rdb FILE and --source HOST:PORT");
            }
            if (passwordFile != null && source == null) {
                throw CliException.usage("--source-password-file goes with --source");
            }
            Session session = Session.of(spec);
            Instant started = Instant.now();
            ClusterView c = Clusters.find(session, name).value();
            TaskView task = session.redisCtl().as(session.redisCtl().post("/clusters/" + c.id() + "/import",
                    new ImportRequest(rdb, source, password())), TaskView.class);
            ProgressPrinter progress = session.progress();
            TaskView done = new TaskWatcher(session, progress, started).await(task.id(), "cluster " + name);
            progress.finish("imported into cluster " + name + " in " + Format.duration(Duration.between(started,
                    Instant.now())) + ": " + done.progress());
            return 0;
        }

        private String password() {
            if (passwordFile == null) {
                return null;
            }
            try {
                return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw CliException.usage("cannot read --source-password-file " + passwordFile + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "backup-schedule", description = "Back a cluster up on a schedule, keeping the newest backups.",
            footer = {"", "Without options, shows the schedule.", "", "Examples:",
                    "  ./biu cluster backup-schedule shop --every 6h --keep 7",
                    "  ./biu cluster backup-schedule shop --off"})
    static final class Schedule implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "CLUSTER", description = "name or id")
        String name;

        @Option(names = "--every", paramLabel = "INTERVAL", description = "30m, 6h, 1d ...")
        String every;

        @Option(names = "--keep", paramLabel = "N", description = "Complete backups kept (older ones are deleted).")
        Integer keep;

        @Option(names = "--off", description = "Stop the schedule; its backups stay.")
        boolean off;

        @Override
        public Integer call() {
            if (off && (every != null || keep != null)) {
                throw CliException.usage("--off stops the schedule: give it alone");
            }
            if ((every == null) != (keep == null)) {
                throw CliException.usage("a schedule needs both --every and --keep");
            }
            Session session = Session.of(spec);
            ClusterView c = Clusters.find(session, name).value();
            String path = "/clusters/" + c.id() + "/backup-schedule";
            if (off) {
                session.redisCtl().delete(path);
                session.out().println("cluster " + name + " is no longer backed up on a schedule");
                return 0;
            }
            JsonNode reply;
            if (every != null) {
                reply = session.redisCtl().put(path, new BackupSchedule(every, keep, null));
            } else {
                reply = session.redisCtl().get(path);
            }
            if (session.json()) {
                session.print(reply);
                return 0;
            }
            BackupSchedule s = session.redisCtl().as(reply, BackupSchedule.class);
            session.out().println("cluster " + name + ": a backup every " + s.every() + ", the newest " + s.keep()
                    + " kept; next at " + s.nextAt());
            return 0;
        }
    }
}

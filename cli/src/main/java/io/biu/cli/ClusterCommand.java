package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.biu.cli.api.CliException;
import io.biu.cli.api.Reply;
import io.biu.cli.render.Format;
import io.biu.cli.render.ProgressPrinter;
import io.biu.cli.render.Table;
import io.biu.redisctl.client.ClusterEndpoint;
import io.biu.redisctl.client.ClusterSpec;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Created;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.TaskView;
import io.biu.redismonitor.client.ActionView;
import io.biu.redismonitor.client.DecisionView;
import io.biu.scheduler.client.Schema;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code biu cluster ...}: a tenant's Redis clusters (redis-ctl), their scaling policy and decisions. */
@Command(name = "cluster", description = "Create, inspect, scale, resume, back up and delete Redis clusters.",
        subcommands = {ClusterScaleCommand.class, ClusterPolicyCommand.class, ClusterBackupCommands.Backup.class,
                ClusterBackupCommands.Backups.class, ClusterBackupCommands.Restore.class,
                ClusterBackupCommands.Import.class, ClusterBackupCommands.Schedule.class},
        footer = {"", "Examples:", "  ./biu cluster create shop --masters 3 --replicas 1 --memory 1GiB --cpu 0.5",
                "  ./biu cluster list", "  ./biu cluster show shop"})
final class ClusterCommand implements Runnable {

    static final Pattern SIZE = Pattern.compile("\\d+(\\.\\d+)?\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)",
            Pattern.CASE_INSENSITIVE);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("cluster needs a subcommand: create, list, show, scale, resume, delete, "
                + "serve-empty, policy, decisions, backup, backups, backup-schedule, restore or import");
    }

    @Command(name = "create", description = "Create a cluster and wait until it serves.",
            footer = {"", "Prints the cluster's password once: keep it.", "", "Example:",
                    "  ./biu cluster create shop --masters 3 --replicas 1 --memory 256MiB --cpu 0.5 "
                            + "--persistence none"})
    int create(@Parameters(paramLabel = "NAME", description = "lowercase letters, digits and dashes") String name,
            @Option(names = "--masters", defaultValue = "3", description = "Masters (default: ${DEFAULT-VALUE}).")
            int masters,
            @Option(names = "--replicas", defaultValue = "1",
                    description = "Replicas per master (default: ${DEFAULT-VALUE}).") int replicas,
            @Option(names = "--memory", defaultValue = "1GiB",
                    description = "Memory per instance, e.g. 256MiB (default: ${DEFAULT-VALUE}).") String memory,
            @Option(names = "--cpu", defaultValue = "0.5",
                    description = "Cores per instance, e.g. 0.1 (default: ${DEFAULT-VALUE}).") BigDecimal cpu,
            @Option(names = "--persistence", defaultValue = "aof",
                    description = "aof (every write on disk within a second), rdb (snapshots on a schedule) or none "
                            + "(default: ${DEFAULT-VALUE}).") String persistence,
            @Option(names = "--eviction", description = "maxmemory-policy, e.g. allkeys-lru (default: noeviction).")
            String eviction,
            @Option(names = "--pod", description = "The pod to run on (default: the only pod the tenant may use).")
            String pod,
            @Option(names = "--no-wait", description = "Return once the request is accepted.") boolean noWait) {
        if (masters < 1) {
            throw CliException.usage("--masters must be at least 1, not " + masters);
        }
        if (replicas < 0) {
            throw CliException.usage("--replicas must be 0 or more, not " + replicas);
        }
        if (cpu.signum() <= 0) {
            throw CliException.usage("--cpu must be more than 0 cores, not " + cpu.toPlainString());
        }
        if (!SIZE.matcher(memory.trim()).matches()) {
            throw CliException.usage("--memory '" + memory + "' is not a size: write e.g. 256MiB or 1GiB");
        }
        if (!persistence.equals("aof") && !persistence.equals("rdb") && !persistence.equals("none")) {
            throw CliException.usage("--persistence must be aof, rdb or none, not '" + persistence + "'");
        }
        Session session = Session.of(spec);
        Instant started = Instant.now();
        ClusterSpec request = new ClusterSpec(name, pod != null ? pod : onlyPod(session), masters, replicas, cpu,
                memory.trim(), persistence, eviction);
        JsonNode reply = session.redisCtl().post("/clusters", request);
        Created created = session.redisCtl().as(reply, Created.class);
        if (!session.json()) {
            session.out().println("cluster " + name + " (id " + created.id() + ") accepted; its password (shown only "
                    + "now, keep it): " + created.password());
        }
        if (noWait) {
            if (session.json()) {
                session.print(reply);
            } else {
                session.out().println("forming in the background: `biu cluster show " + name + "` follows it");
            }
            return 0;
        }
        ProgressPrinter progress = session.progress();
        new TaskWatcher(session, progress, started).await(created.taskId(), "cluster " + name);
        JsonNode cluster = session.redisCtl().get("/clusters/" + created.id());
        progress.finish("cluster " + name + " ready in " + Format.duration(Duration.between(started, Instant.now()))
                + ": " + Format.count(masters, "master") + ", " + Format.count(replicas, "replica")
                + (masters == 1 ? "" : " each"));
        if (session.json()) {
            ((ObjectNode) reply).set("cluster", cluster);
            session.print(reply);
        } else {
            session.out().println("next: `biu endpoint issue " + name + "` gives it an address to connect to");
        }
        return 0;
    }

    /** The pod a tenant that names none deploys to: the only one it may use. */
    private static String onlyPod(Session session) {
        List<String> names = session.scheduler().getList("/pods", Schema.Pod.class).stream().map(Schema.Pod::name)
                .toList();
        if (names.size() == 1) {
            return names.get(0);
        }
        if (names.isEmpty()) {
            throw CliException.failed("no pod is granted to " + (session.tenant() == null ? "this tenant"
                    : "tenant " + session.tenant()), "an operator grants one: `biu pod grant POD TENANT`");
        }
        throw CliException.usage("name the pod with --pod: this tenant may use " + String.join(", ", names));
    }

    @Command(name = "list", description = "List the tenant's clusters.",
            footer = {"", "Example:", "  ./biu cluster list --output json"})
    int list() {
        Session session = Session.of(spec);
        JsonNode clusters = session.redisCtl().get("/clusters");
        if (session.json()) {
            session.print(clusters);
            return 0;
        }
        Table table = Table.of("NAME", "ID", "STATE", "MASTERS", "REPLICAS", "CPU", "MEMORY", "PERSISTENCE", "POD",
                "TASK");
        for (ClusterView c : session.redisCtl().asList(clusters, ClusterView.class)) {
            table.row(c.name(), c.id(), c.state().id(), Clusters.masterCount(c), c.replicas(), c.cpu(),
                    Format.bytes(c.memory()), c.persistence().id(), c.pod(), Clusters.taskSummary(c));
        }
        session.print(table, "no clusters yet: `biu cluster create NAME` makes one");
        return 0;
    }

    @Command(name = "show", description = "Show a cluster: its instances, slots, task and endpoint.",
            footer = {"", "Example:", "  ./biu cluster show shop"})
    int show(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name) {
        Session session = Session.of(spec);
        Reply<ClusterView> found = Clusters.find(session, name);
        if (session.json()) {
            session.print(found.json());
            return 0;
        }
        ClusterView c = found.value();
        var out = session.out();
        out.printf("cluster %s (id %d) of tenant %s on pod %s: %s%n", c.name(), c.id(), c.tenant(), c.pod(),
                c.state().id());
        out.printf("  %s, %s per master; per instance %s cores, %s (maxmemory %s), persistence %s, eviction %s%n",
                Format.count(Clusters.masterCount(c), "master"), Format.count(c.replicas(), "replica"), c.cpu(),
                Format.bytes(c.memory()), Format.bytes(c.maxmemory()), c.persistence().id(), c.eviction());
        out.println("  instances' bus: " + (c.busTls() ? "mutual TLS under the cluster's own key"
                : "plain, made before TLS: any process that reaches it can join it; move its data to a new cluster"));
        ClusterEndpoint endpoint = c.endpoint();
        out.println("  endpoint: " + (endpoint != null ? String.join(",", endpoint.addresses()) + " ("
                + endpoint.state() + ")" : "none (`biu endpoint issue " + c.name() + "` makes one)"));
        String task = Clusters.taskSummary(c);
        if (task != null) {
            String progress = c.task().progress();
            out.println("  last task: " + task + (progress.isEmpty() ? "" : ": " + progress));
        }
        Table instances = Table.of("ID", "ROLE", "STATE", "ADDRESS", "NODE", "SHARD", "SLOTS");
        for (InstanceView i : c.members()) {
            instances.row(i.id(), i.role().id(), i.state().id(), i.address() + ":" + i.port(), i.node(), i.shard(),
                    i.slots() == null || i.slots().isEmpty() ? null : String.join(",", i.slots()));
        }
        out.println();
        session.print(instances, "no instances yet");
        return 0;
    }

    @Command(name = "delete", description = "Delete a cluster and its data; wait until it is gone.",
            footer = {"", "Example:", "  ./biu cluster delete shop --yes"})
    int delete(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name,
            @Option(names = "--yes", description = "Confirm: the cluster's data is lost.") boolean yes,
            @Option(names = "--no-wait", description = "Return once the deletion is accepted.") boolean noWait) {
        if (!yes) {
            throw CliException.usage("deleting cluster " + name + " loses its data: add --yes to confirm");
        }
        Session session = Session.of(spec);
        Instant started = Instant.now();
        ClusterView c = Clusters.find(session, name).value();
        JsonNode task = session.redisCtl().delete("/clusters/" + c.id());
        if (!noWait) {
            ProgressPrinter progress = session.progress();
            new TaskWatcher(session, progress, started).await(session.redisCtl().as(task, TaskView.class).id(),
                    "cluster " + name);
            progress.finish("cluster " + name + " deleted in " + Format.duration(Duration.between(started,
                    Instant.now())));
        } else if (!session.json()) {
            session.out().println("cluster " + name + " is being deleted");
        }
        if (session.json()) {
            session.print(task);
        }
        return 0;
    }

    @Command(name = "serve-empty", description = "Operators: give up a shard whose every member failed and serve its "
            + "slots again, empty (its data is lost; recorded as an incident).",
            footer = {"", "Example:", "  ./biu cluster serve-empty shop --shard 1 --yes"})
    int serveEmpty(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name,
            @Option(names = "--shard", required = true, description = "The shard to give up.") int shard,
            @Option(names = "--yes", description = "Confirm: the shard's data is lost.") boolean yes) {
        if (!yes) {
            throw CliException.usage("serving shard " + shard + " of cluster " + name + " empty loses its data: add "
                    + "--yes to confirm");
        }
        Session session = Session.of(spec);
        ClusterView c = Clusters.find(session, name).value();
        JsonNode task = session.redisCtl().post("/clusters/" + c.id() + "/shards/" + shard + "/serve-empty",
                Map.of());
        if (session.json()) {
            session.print(task);
        } else {
            session.out().println("shard " + shard + " of cluster " + name + " is given up: healing serves its slots "
                    + "again, empty");
        }
        return 0;
    }

    @Command(name = "resume", description = "Resume a failed cluster's last task from the step it failed at; wait "
            + "until it is done.",
            footer = {"", "Fix what the failure names first (`biu cluster show` shows it): the step runs again.", "",
                    "Example:", "  ./biu cluster resume shop"})
    int resume(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name,
            @Option(names = "--no-wait", description = "Return once the task is resumed.") boolean noWait) {
        Session session = Session.of(spec);
        Instant started = Instant.now();
        ClusterView c = Clusters.find(session, name).value();
        JsonNode reply = session.redisCtl().post("/clusters/" + c.id() + "/resume", Map.of());
        TaskView task = session.redisCtl().as(reply, TaskView.class);
        String what = "the " + task.kind().id() + " task of cluster " + name;
        if (!noWait) {
            ProgressPrinter progress = session.progress();
            new TaskWatcher(session, progress, started).await(task.id(), "cluster " + name);
            progress.finish(what + " resumed at step " + task.step() + " and done in " + Format.duration(
                    Duration.between(started, Instant.now())));
        } else if (!session.json()) {
            session.out().println(what + " resumes at step " + task.step() + ": `biu cluster show " + name
                    + "` follows it");
        }
        if (session.json()) {
            session.print(reply);
        }
        return 0;
    }

    @Command(name = "decisions", description = "The scaling decisions redis-monitor took for a cluster, newest first.",
            footer = {"", "Example:", "  ./biu cluster decisions shop --limit 20"})
    int decisions(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name,
            @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: "
                    + "${DEFAULT-VALUE}).") int limit) {
        if (limit < 1 || limit > 1000) {
            throw CliException.usage("--limit must be between 1 and 1000, not " + limit);
        }
        Session session = Session.of(spec);
        ClusterView c = Clusters.find(session, name).value();
        JsonNode decisions = session.monitor().get("/clusters/" + c.id() + "/decisions?limit="
                + limit);
        if (session.json()) {
            session.print(decisions);
            return 0;
        }
        Table table = Table.of("AT", "DECISION", "MASTERS", "REASON", "ACTION", "WHY");
        for (DecisionView d : session.monitor().asList(decisions, DecisionView.class)) {
            ActionView action = d.action();
            table.row(d.at().toString(), d.decision().id(), d.masters(), d.reason().id(), action == null ? null
                    : action.kind().id() + " " + action.state().id(), d.why());
        }
        session.print(table, "no decisions yet for cluster " + name + ": redis-monitor decides every few seconds "
                + "once it reads the cluster's INFO");
        return 0;
    }
}

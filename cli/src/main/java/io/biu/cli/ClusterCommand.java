package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.biu.cli.api.CliException;
import io.biu.cli.render.Format;
import io.biu.cli.render.ProgressPrinter;
import io.biu.cli.render.Table;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code biu cluster ...}: a tenant's Redis clusters (redis-ctl), their scaling policy and decisions. */
@Command(name = "cluster", description = "Create, inspect, scale and delete Redis clusters.",
        subcommands = {ClusterScaleCommand.class, ClusterPolicyCommand.class},
        footer = {"", "Examples:", "  ./biu cluster create shop --masters 3 --replicas 1 --memory 1GiB --cpu 0.5",
                "  ./biu cluster list", "  ./biu cluster show shop"})
final class ClusterCommand implements Runnable {

    static final Pattern SIZE = Pattern.compile("\\d+(\\.\\d+)?\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)",
            Pattern.CASE_INSENSITIVE);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw CliException.usage("cluster needs a subcommand: create, list, show, scale, delete, policy or "
                + "decisions");
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
                    description = "aof or none (default: ${DEFAULT-VALUE}).") String persistence,
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
        if (!persistence.equals("aof") && !persistence.equals("none")) {
            throw CliException.usage("--persistence must be aof or none, not '" + persistence + "'");
        }
        Session session = Session.of(spec);
        Instant started = Instant.now();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("name", name);
        request.put("pod", pod != null ? pod : onlyPod(session));
        request.put("masters", masters);
        request.put("replicas", replicas);
        request.put("cpu", cpu);
        request.put("memory", memory.trim());
        request.put("persistence", persistence);
        if (eviction != null) {
            request.put("eviction", eviction);
        }
        JsonNode created = session.redisCtl().post("/clusters", request);
        long id = created.path("id").asLong();
        if (!session.json()) {
            session.out().println("cluster " + name + " (id " + id + ") accepted; its password (shown only now, "
                    + "keep it): " + created.path("password").asText());
        }
        if (noWait) {
            if (session.json()) {
                session.print(created);
            } else {
                session.out().println("forming in the background: `biu cluster show " + name + "` follows it");
            }
            return 0;
        }
        ProgressPrinter progress = session.progress();
        new TaskWatcher(session, progress, started).await(created.path("taskId").asLong(), "cluster " + name);
        JsonNode cluster = session.redisCtl().get("/clusters/" + id);
        progress.finish("cluster " + name + " ready in " + Format.duration(Duration.between(started, Instant.now()))
                + ": " + Format.count(masters, "master") + ", " + Format.count(replicas, "replica")
                + (masters == 1 ? "" : " each"));
        if (session.json()) {
            ((ObjectNode) created).set("cluster", cluster);
            session.print(created);
        } else {
            session.out().println("next: `biu endpoint issue " + name + "` gives it an address to connect to");
        }
        return 0;
    }

    /** The pod a tenant that names none deploys to: the only one it may use. */
    private static String onlyPod(Session session) {
        JsonNode pods = session.scheduler().get("/pods");
        List<String> names = new ArrayList<>();
        pods.forEach(p -> names.add(p.path("name").asText()));
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
        for (JsonNode c : clusters) {
            table.row(c.path("name").asText(), c.path("id").asLong(), c.path("state").asText(),
                    Clusters.masterCount(c), c.path("replicas").asInt(), c.path("cpu").asText(),
                    Format.bytes(c.path("memory").asLong()), c.path("persistence").asText(), c.path("pod").asText(),
                    Clusters.taskSummary(c));
        }
        session.print(table, "no clusters yet: `biu cluster create NAME` makes one");
        return 0;
    }

    @Command(name = "show", description = "Show a cluster: its instances, slots, task and endpoint.",
            footer = {"", "Example:", "  ./biu cluster show shop"})
    int show(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name) {
        Session session = Session.of(spec);
        JsonNode c = Clusters.find(session, name);
        if (session.json()) {
            session.print(c);
            return 0;
        }
        var out = session.out();
        out.printf("cluster %s (id %d) of tenant %s on pod %s: %s%n", c.path("name").asText(), c.path("id").asLong(),
                c.path("tenant").asText(), c.path("pod").asText(), c.path("state").asText());
        out.printf("  %s, %s per master; per instance %s cores, %s (maxmemory %s), persistence %s, eviction %s%n",
                Format.count(Clusters.masterCount(c), "master"), Format.count(c.path("replicas").asInt(), "replica"),
                c.path("cpu").asText(), Format.bytes(c.path("memory").asLong()),
                Format.bytes(c.path("maxmemory").asLong()), c.path("persistence").asText(),
                c.path("eviction").asText());
        JsonNode endpoint = c.path("endpoint");
        out.println("  endpoint: " + (endpoint.isObject() ? endpoint.path("addresses").toString().replaceAll("[\\[\\]\"]",
                "") + " (" + endpoint.path("state").asText() + ")" : "none (`biu endpoint issue " + c.path("name")
                .asText() + "` makes one)"));
        String task = Clusters.taskSummary(c);
        if (task != null) {
            String progress = c.path("task").path("progress").asText("");
            out.println("  last task: " + task + (progress.isEmpty() ? "" : ": " + progress));
        }
        Table instances = Table.of("ID", "ROLE", "STATE", "ADDRESS", "NODE", "SHARD", "SLOTS");
        for (JsonNode i : c.path("instances")) {
            List<String> slots = new ArrayList<>();
            i.path("slots").forEach(s -> slots.add(s.asText()));
            instances.row(i.path("id").asLong(), i.path("role").asText(), i.path("state").asText(),
                    i.path("address").asText() + ":" + i.path("port").asInt(), i.path("node").asText(),
                    i.path("shard").asInt(), slots.isEmpty() ? null : String.join(",", slots));
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
        JsonNode c = Clusters.find(session, name);
        JsonNode task = session.redisCtl().delete("/clusters/" + c.path("id").asLong());
        if (!noWait) {
            ProgressPrinter progress = session.progress();
            new TaskWatcher(session, progress, started).await(task.path("id").asLong(), "cluster " + name);
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

    @Command(name = "decisions", description = "The scaling decisions redis-monitor took for a cluster, newest first.",
            footer = {"", "Example:", "  ./biu cluster decisions shop --limit 20"})
    int decisions(@Parameters(paramLabel = "CLUSTER", description = "name or id") String name,
            @Option(names = "--limit", defaultValue = "20", description = "At most this many (default: "
                    + "${DEFAULT-VALUE}).") int limit) {
        if (limit < 1 || limit > 1000) {
            throw CliException.usage("--limit must be between 1 and 1000, not " + limit);
        }
        Session session = Session.of(spec);
        JsonNode c = Clusters.find(session, name);
        JsonNode decisions = session.monitor().get("/clusters/" + c.path("id").asLong() + "/decisions?limit="
                + limit);
        if (session.json()) {
            session.print(decisions);
            return 0;
        }
        Table table = Table.of("AT", "DECISION", "MASTERS", "REASON", "ACTION", "WHY");
        for (JsonNode d : decisions) {
            JsonNode action = d.path("action");
            table.row(d.path("at").asText(), d.path("decision").asText(), d.path("masters").asInt(),
                    d.path("reason").asText(), action.isObject() ? action.path("kind").asText() + " "
                            + action.path("state").asText() : null, d.path("why").asText(null));
        }
        session.print(table, "no decisions yet for cluster " + name + ": redis-monitor decides every few seconds "
                + "once it reads the cluster's INFO");
        return 0;
    }
}

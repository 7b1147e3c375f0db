package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.api.Failure;
import io.biu.cli.render.Format;
import io.biu.cli.render.MigrationProgress;
import io.biu.cli.render.ProgressPrinter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code biu cluster scale NAME --masters N}: grows or shrinks a cluster by whole masters, the way redis-monitor
 * does it. Out: the scheduler deploys each new master with its replicas (one anti-affinity group per shard), the
 * client waits for them to be ready and has redis-ctl join them (slots migrate to the new masters); if anything
 * fails before the join, the containers it deployed are removed again. In: redis-ctl drains the masters of the
 * highest shards one by one (their slots move to the others), then removes what each drain made removable.
 * A target outside the cluster's scaling policy is refused, since redis-monitor would undo it.
 */
@Command(name = "scale", description = "Grow or shrink a cluster to a number of masters, moving slots live.",
        footer = {"", "Example:", "  ./biu cluster scale shop --masters 4"})
final class ClusterScaleCommand implements java.util.concurrent.Callable<Integer> {

    private static final Duration READY_LIMIT = Duration.ofMinutes(3);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "CLUSTER", description = "name or id")
    String name;

    @Option(names = "--masters", required = true, description = "The number of masters to have.")
    int target;

    @Override
    public Integer call() {
        if (target < 1) {
            throw CliException.usage("--masters must be at least 1, not " + target);
        }
        Session session = Session.of(spec);
        Instant started = Instant.now();
        JsonNode cluster = Clusters.find(session, name);
        if (!"ready".equals(cluster.path("state").asText())) {
            throw CliException.failed("cluster " + name + " is " + cluster.path("state").asText() + ", not ready",
                    "`biu cluster show " + name + "` shows what it is doing; scale it once it is ready");
        }
        int current = Clusters.masters(cluster).size();
        if (current == target) {
            session.out().println("cluster " + name + " has " + Format.count(target, "master") + " already: nothing "
                    + "to do");
            return 0;
        }
        checkPolicy(session, cluster);
        ProgressPrinter progress = session.progress();
        TaskWatcher watcher = new TaskWatcher(session, progress, started);
        if (target > current) {
            scaleOut(session, cluster, target - current, progress, watcher);
        } else {
            scaleIn(session, cluster, current - target, watcher);
        }
        MigrationProgress moved = watcher.lastMigration();
        progress.finish("cluster " + name + " scaled from " + current + " to " + Format.count(target, "master")
                + " in " + Format.duration(Duration.between(started, Instant.now()))
                + (moved == null ? "" : ": moved " + Format.count(moved.slots(), "slot") + " with about "
                + Format.count(Math.max(moved.keys(), moved.keysMoved()), "key")));
        if (session.json()) {
            session.print(session.redisCtl().get("/clusters/" + cluster.path("id").asLong()));
        }
        return 0;
    }

    /** Refuses a target the scaling policy would undo; goes ahead (with a warning) if redis-monitor is down. */
    private void checkPolicy(Session session, JsonNode cluster) {
        JsonNode policy;
        try {
            policy = session.monitor().get("/policies/" + cluster.path("id").asLong()).path("policy");
        } catch (CliException e) {
            if (e.failure() != Failure.UNREACHABLE) {
                throw e;
            }
            session.err().println("biu: warning: cannot check the scaling policy (" + e.getMessage() + ")");
            return;
        }
        int min = policy.path("minMasters").asInt(1);
        int max = policy.path("maxMasters").asInt(Integer.MAX_VALUE);
        if (target < min || target > max) {
            throw CliException.failed("cluster " + name + "'s scaling policy keeps it between " + min + " and "
                    + max + " masters, so redis-monitor would undo a scale to " + target, "change the policy "
                    + "first: `biu cluster policy set " + name + " --min " + Math.min(min, target) + " --max "
                    + Math.max(max, target) + "`");
        }
    }

    private void scaleOut(Session session, JsonNode cluster, int add, ProgressPrinter progress, TaskWatcher watcher) {
        long id = cluster.path("id").asLong();
        String app = "redis-" + cluster.path("name").asText();
        int replicas = cluster.path("replicas").asInt();
        int shard = 0;
        for (JsonNode i : cluster.path("instances")) {
            shard = Math.max(shard, i.path("shard").asInt() + 1);
        }
        List<Map<String, Object>> members = new ArrayList<>();
        JsonNode task;
        try {
            for (int k = 0; k < add; k++, shard++) {
                List<String> group = List.of("redis-c" + id + "-s" + shard);
                progress.status("deploying master " + (k + 1) + " of " + add + (replicas == 0 ? ""
                        : " and " + Format.count(replicas, "replica")));
                deploy(session, app, 1, group, "master", members);
                if (replicas > 0) {
                    deploy(session, app, replicas, group, "replica", members);
                }
            }
            awaitReady(session, members, progress);
            task = session.redisCtl().post("/clusters/" + id + "/members", Map.of("members", members));
        } catch (CliException e) {
            // nothing joined yet: what was deployed would only be adopted later by the reconciler, so remove it
            int removed = removeAll(session, members);
            throw members.isEmpty() ? e : new CliException(e.failure(), e.getMessage() + " (removed " + removed
                    + " of the " + members.size() + " containers this scale deployed)", e.hint());
        }
        watcher.await(task.path("id").asLong(), "cluster " + name);
    }

    private static void deploy(Session session, String app, int count, List<String> group, String role,
            List<Map<String, Object>> members) {
        JsonNode containers = session.scheduler().post("/apps/" + app + "/containers",
                Map.of("count", count, "groups", group, "role", role));
        containers.forEach(c -> members.add(Map.of("container", c.path("id").asLong(), "role", role)));
    }

    private static void awaitReady(Session session, List<Map<String, Object>> members, ProgressPrinter progress) {
        Instant until = Instant.now().plus(READY_LIMIT);
        while (true) {
            int ready = 0;
            for (Map<String, Object> m : members) {
                JsonNode c = session.scheduler().get("/containers/" + m.get("container"));
                String state = c.path("state").asText();
                if (state.equals("died") || state.equals("lost") || state.equals("removed")) {
                    throw CliException.failed("container " + c.path("name").asText() + " " + state + " before it "
                            + "was ready", "`./biu logs scheduler` and `biu events --app " + c.path("app").asText()
                            + "` say why");
                }
                ready += c.path("ready").asBoolean() ? 1 : 0;
            }
            if (ready == members.size()) {
                return;
            }
            progress.status("waiting for the new containers to be ready: " + ready + " of " + members.size());
            if (Instant.now().isAfter(until)) {
                throw CliException.failed("the new containers were not ready within " + READY_LIMIT.toMinutes()
                        + " min", "`biu events --app` shows what happened to them");
            }
            session.pause();
        }
    }

    private static int removeAll(Session session, List<Map<String, Object>> members) {
        int removed = 0;
        for (Map<String, Object> m : members) {
            try {
                session.scheduler().delete("/containers/" + m.get("container"));
                removed++;
            } catch (CliException ignored) {
                // the reconciler removes surplus containers of a cluster's app; the message counts what is left
            }
        }
        return removed;
    }

    private void scaleIn(Session session, JsonNode cluster, int drop, TaskWatcher watcher) {
        long id = cluster.path("id").asLong();
        List<JsonNode> masters = new ArrayList<>(Clusters.masters(cluster));
        masters.sort(Comparator.comparingInt((JsonNode i) -> i.path("shard").asInt()).reversed());
        for (JsonNode master : masters.subList(0, drop)) {
            JsonNode task = session.redisCtl().post("/clusters/" + id + "/instances/" + master.path("id").asLong()
                    + "/drain", Map.of());
            watcher.await(task.path("id").asLong(), "cluster " + name);
            for (JsonNode i : session.redisCtl().get("/clusters/" + id).path("instances")) {
                if ("removable".equals(i.path("state").asText())) {
                    session.redisCtl().delete("/clusters/" + id + "/instances/" + i.path("id").asLong());
                }
            }
        }
    }
}

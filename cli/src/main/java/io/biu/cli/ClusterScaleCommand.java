package io.biu.cli;

import io.biu.cli.api.CliException;
import io.biu.cli.api.Failure;
import io.biu.cli.render.Format;
import io.biu.cli.render.MigrationProgress;
import io.biu.cli.render.ProgressPrinter;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.JoinRequest;
import io.biu.redisctl.client.Member;
import io.biu.redisctl.client.ShardDeployment;
import io.biu.redisctl.client.TaskView;
import io.biu.redismonitor.client.PolicySettings;
import io.biu.redismonitor.client.PolicyView;
import io.biu.scheduler.client.Schema;
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
        ClusterView cluster = Clusters.find(session, name).value();
        if (!cluster.ready()) {
            throw CliException.failed("cluster " + name + " is " + cluster.state().id() + ", not ready",
                    "`biu cluster show " + name + "` shows what it is doing; scale it once it is ready");
        }
        int current = cluster.servingMasters().size();
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
            session.print(session.redisCtl().get("/clusters/" + cluster.id()));
        }
        return 0;
    }

    /** Refuses a target the scaling policy would undo; goes ahead (with a warning) if redis-monitor is down. */
    private void checkPolicy(Session session, ClusterView cluster) {
        PolicySettings policy;
        try {
            policy = session.monitor().get("/policies/" + cluster.id(), PolicyView.class).policy();
        } catch (CliException e) {
            if (e.failure() != Failure.UNREACHABLE) {
                throw e;
            }
            session.err().println("biu: warning: cannot check the scaling policy (" + e.getMessage() + ")");
            return;
        }
        int min = policy.minMasters() == null ? 1 : policy.minMasters();
        int max = policy.maxMasters() == null ? Integer.MAX_VALUE : policy.maxMasters();
        if (target < min || target > max) {
            throw CliException.failed("cluster " + name + "'s scaling policy keeps it between " + min + " and "
                    + max + " masters, so redis-monitor would undo a scale to " + target, "change the policy "
                    + "first: `biu cluster policy set " + name + " --min " + Math.min(min, target) + " --max "
                    + Math.max(max, target) + "`");
        }
    }

    /**
     * Deploys the new shards ({@link ShardDeployment#growth}, as redis-monitor does), waits for them to be ready and
     * has redis-ctl join them.
     */
    private void scaleOut(Session session, ClusterView cluster, int add, ProgressPrinter progress,
            TaskWatcher watcher) {
        List<Member> members = new ArrayList<>();
        TaskView task;
        try {
            int k = 0;
            // new shards skip the shard numbers any volume is left at (see ShardDeployment#growth)
            List<Schema.Volume> left = cluster.persistence().keepsData() ? session.scheduler().asList(
                    session.scheduler().get("/apps/" + cluster.app() + "/volumes"), Schema.Volume.class) : List.of();
            for (ShardDeployment shard : ShardDeployment.growth(cluster, add, left)) {
                progress.status("deploying master " + (++k) + " of " + add + (shard.replicas() == 0 ? ""
                        : " and " + Format.count(shard.replicas(), "replica")));
                deploy(session, cluster.app(), shard.master(), members);
                shard.replicaSet().ifPresent(replicas -> deploy(session, cluster.app(), replicas, members));
            }
            awaitReady(session, members, progress);
            task = session.redisCtl().as(session.redisCtl().post("/clusters/" + cluster.id() + "/members",
                    new JoinRequest(members)), TaskView.class);
        } catch (CliException e) {
            // nothing joined yet: what was deployed would only be adopted later by the reconciler, so remove it
            int removed = removeAll(session, members);
            throw members.isEmpty() ? e : new CliException(e.failure(), e.getMessage() + " (removed " + removed
                    + " of the " + members.size() + " containers this scale deployed"
                    + (removed < members.size() ? "; redis-ctl adopts or removes the others" : "") + ")", e.hint());
        }
        watcher.await(task.id(), "cluster " + name);
    }

    private static void deploy(Session session, String app, Schema.Deploy request, List<Member> members) {
        List<Schema.Container> containers = session.scheduler().asList(session.scheduler().post("/apps/" + app
                + "/containers", request), Schema.Container.class);
        containers.forEach(c -> members.add(new Member(c.id(), request.role())));
    }

    private static void awaitReady(Session session, List<Member> members, ProgressPrinter progress) {
        Instant until = Instant.now().plus(READY_LIMIT);
        while (true) {
            int ready = 0;
            for (Member m : members) {
                Schema.Container c = session.scheduler().get("/containers/" + m.container(), Schema.Container.class);
                if (!c.live()) {
                    throw CliException.failed("container " + c.name() + " is " + c.state().id() + " before it was ready",
                            "`./biu logs scheduler` and `biu events --app " + c.app() + "` say why");
                }
                ready += c.ready() ? 1 : 0;
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

    private static int removeAll(Session session, List<Member> members) {
        int removed = 0;
        for (Member m : members) {
            try {
                session.scheduler().delete("/containers/" + m.container());
                removed++;
            } catch (CliException ignored) {
                // a tenant may not take down what redis-ctl runs for it, and redis-ctl adopts or removes surplus
                // containers of a cluster's app; the message counts what is left
            }
        }
        return removed;
    }

    /** Drains the masters of the highest shards one by one, then removes what each drain made removable. */
    private void scaleIn(Session session, ClusterView cluster, int drop, TaskWatcher watcher) {
        List<InstanceView> masters = new ArrayList<>(cluster.servingMasters());
        masters.sort(Comparator.comparingInt(InstanceView::shard).reversed());
        for (InstanceView master : masters.subList(0, drop)) {
            TaskView task = session.redisCtl().as(session.redisCtl().post("/clusters/" + cluster.id()
                    + "/instances/" + master.id() + "/drain", Map.of()), TaskView.class);
            watcher.await(task.id(), "cluster " + name);
            for (InstanceView i : session.redisCtl().get("/clusters/" + cluster.id(), ClusterView.class).members()) {
                if (i.state() == InstanceState.REMOVABLE) {
                    session.redisCtl().delete("/clusters/" + cluster.id() + "/instances/" + i.id());
                }
            }
        }
    }
}

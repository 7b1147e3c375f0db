package io.biu.redismonitor.scaling;

import io.biu.kit.crash.CrashPoints;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.JoinRequest;
import io.biu.redisctl.client.Member;
import io.biu.redisctl.client.RedisCtlClient;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.client.ShardDeployment;
import io.biu.redisctl.client.TaskView;
import io.biu.redismonitor.MonitorConfig;
import io.biu.redismonitor.client.ActionKind;
import io.biu.redismonitor.client.ActionState;
import io.biu.redismonitor.client.Inputs;
import io.biu.redismonitor.policy.Decision;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.SchedulerErrors;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scaling actions as named steps, each recorded before the next, and advanced one step (or one look at a wait)
 * per monitor round, so that a restarted monitor resumes where the last one stopped.
 *
 * <p><b>Scale-out</b>: {@code recorded} (with the app's containers at that moment) → {@code deployed} (the new masters
 * and their replicas, each shard in an anti-affinity group of its own; all or none) → {@code ready} (every one passed
 * its readiness probe) → {@code joined} (redis-ctl's join task started) → {@code done} (the task finished). An action
 * found at {@code recorded} by a restarted monitor is abandoned: containers its deploy may have made are removed,
 * unless redis-ctl's adoption joined them already, in which case the action waits for that join.
 *
 * <p><b>Scale-in</b>: {@code recorded} (with the master to drain) → {@code draining} (redis-ctl's drain task) →
 * {@code drained} → {@code removed} (redis-ctl removes every instance the drain made removable: the master and the
 * replicas the other masters do not need) → done.
 */
@Singleton
public class Scaler {

    private static final Logger LOG = LoggerFactory.getLogger(Scaler.class);

    private final ActionRepository actions;
    private final Audit audit;
    private final RedisCtlClient redisCtl;
    private final SchedulerClient scheduler;
    private final CrashPoints crash;
    private final MonitorConfig config;
    private final Clock clock;
    /** Actions this process started: only those are deployed from {@code recorded}. */
    private final Set<Long> startedHere = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Scaler(ActionRepository actions, Audit audit, RedisCtlClient redisCtl, SchedulerClient scheduler,
            CrashPoints crash, MonitorConfig config, Clock clock) {
        this.actions = actions;
        this.audit = audit;
        this.redisCtl = redisCtl;
        this.scheduler = scheduler;
        this.crash = crash;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Records the decision and the action it starts, in one transaction; empty if an action already runs on the
     * cluster.
     */
    @Transactional
    public Optional<Action> start(ClusterView cluster, Decision decision, Inputs inputs, Instant now,
            List<Long> knownContainers, Long subject) {
        if (!actions.findRunningForUpdate(cluster.id()).isEmpty()) {
            return Optional.empty();
        }
        boolean out = decision instanceof Decision.ScaleOut;
        Action action = actions.save(Action.start(cluster.id(), cluster.tenant(), cluster.name(),
                out ? ActionKind.SCALE_OUT : ActionKind.SCALE_IN, out ? ((Decision.ScaleOut) decision).add() : 1,
                subject, out ? knownContainers : List.of(), now));
        audit.record(cluster, decision, inputs, now, action.id());
        startedHere.add(action.id());
        return Optional.of(action);
    }

    /** Called once {@link #start}'s transaction committed: the action is recorded. */
    void recorded() {
        crash.passed(Action.RECORDED);
    }

    /** Moves the action on by at most one step; returns it as it now stands. */
    public Action advance(Action action, ClusterView cluster) {
        return action.kind() == ActionKind.SCALE_OUT ? scaleOut(action, cluster) : scaleIn(action, cluster);
    }

    private Action scaleOut(Action a, ClusterView cluster) {
        return switch (a.step()) {
            case Action.RECORDED -> startedHere.contains(a.id()) ? deploy(a, cluster) : recover(a, cluster);
            case "deployed" -> awaitReady(a, cluster);
            case "ready" -> join(a, cluster);
            case "joined" -> awaitTask(a, cluster, "done", "added " + a.masters() + " master"
                    + (a.masters() == 1 ? "" : "s"));
            default -> throw new IllegalStateException("a scale-out has no step " + a.step());
        };
    }

    private Action deploy(Action a, ClusterView cluster) {
        List<Long> deployed = new ArrayList<>();
        try {
            for (ShardDeployment shard : ShardDeployment.growth(cluster, a.masters())) {
                deployed.addAll(ids(scheduler.deploy(a.tenant(), cluster.app(), shard.master())));
                Optional<Schema.Deploy> replicas = shard.replicaSet();
                if (replicas.isPresent()) {
                    deployed.addAll(ids(scheduler.deploy(a.tenant(), cluster.app(), replicas.get())));
                }
            }
        } catch (HttpClientResponseException e) {
            String why = "the scheduler refused the containers: " + SchedulerErrors.message(e);
            return abandon(a, deployed, why);
        }
        Action next = actions.update(a.withContainers(deployed, clock.instant()).at("deployed", "deployed "
                + deployed.size() + " containers; waiting for them to be ready", clock.instant()));
        crash.passed("deployed");
        return next;
    }

    /** A scale-out found at {@code recorded} after a restart: nothing of it is known to exist. */
    private Action recover(Action a, ClusterView cluster) {
        List<Schema.Container> all = scheduler.containers(a.tenant(), cluster.app());
        Set<Long> known = new HashSet<>(a.knownIds());
        List<Long> fresh = all == null ? List.of() : all.stream().map(Schema.Container::id)
                .filter(id -> !known.contains(id)).toList();
        Set<Long> members = memberContainers(cluster);
        if (!fresh.isEmpty() && fresh.stream().allMatch(members::contains)) {
            // redis-ctl's adoption joined them meanwhile: the action ends with that join
            Action adopted = actions.update(a.withContainers(fresh, clock.instant()));
            return cluster.task() == null ? finish(adopted, ActionState.DONE, "added by redis-ctl's adoption")
                    : actions.update(adopted.withTask(cluster.task().id(), clock.instant()).at("joined",
                            "joined by redis-ctl's adoption", clock.instant()));
        }
        return abandon(a, fresh.stream().filter(id -> !members.contains(id)).toList(),
                "interrupted before its containers were recorded");
    }

    private Action awaitReady(Action a, ClusterView cluster) {
        int ready = 0;
        for (long id : a.containerIds()) {
            Schema.Container c = scheduler.container(a.tenant(), id);
            if (c == null || !c.live()) {
                return abandon(a, a.containerIds(), "container " + id + " is "
                        + (c == null ? "gone" : c.state().id()) + " before it was ready");
            }
            if (c.running() && c.ready() && c.host() != null) {
                ready++;
            }
        }
        if (ready == a.containerIds().size()) {
            Action next = actions.update(a.at("ready", "all " + ready + " containers ready; joining them",
                    clock.instant()));
            crash.passed("ready");
            return next;
        }
        if (a.updatedAt().plus(config.readyTimeout()).isBefore(clock.instant())) {
            return abandon(a, a.containerIds(), "only " + ready + " of " + a.containerIds().size()
                    + " containers were ready after " + config.readyTimeout().toSeconds() + " s");
        }
        return a;
    }

    private Action join(Action a, ClusterView cluster) {
        Set<Long> members = memberContainers(cluster);
        if (a.containerIds().stream().allMatch(members::contains)) {
            // joined already: by this action before a restart lost the task's id, or by redis-ctl's adoption
            return cluster.task() == null ? finish(a, ActionState.DONE, "added " + a.masters() + " masters")
                    : joined(a, cluster.task().id(), "joining (task " + cluster.task().id() + ")");
        }
        List<Member> list = new ArrayList<>();
        for (long id : a.containerIds()) {
            Schema.Container c = scheduler.container(a.tenant(), id);
            list.add(Member.of(id, c != null && Role.MASTER.id().equals(c.role()) ? Role.MASTER : Role.REPLICA));
        }
        try {
            TaskView task = SchedulerErrors.body(redisCtl.join(a.tenant(), a.clusterId(),
                    new JoinRequest(list)));
            return joined(a, task.id(), "joining (task " + task.id() + ")");
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 409) {
                // busy with another task (adoption's, say): look again next round
                return actions.update(a.at(a.step(), "waiting to join: " + SchedulerErrors.message(e),
                        clock.instant()));
            }
            return abandon(a, a.containerIds(), "redis-ctl refused to join them: " + SchedulerErrors.message(e));
        }
    }

    private Action joined(Action a, long task, String text) {
        Action next = actions.update(a.withTask(task, clock.instant()).at("joined", text, clock.instant()));
        crash.passed("joined");
        return next;
    }

    private Action scaleIn(Action a, ClusterView cluster) {
        return switch (a.step()) {
            case Action.RECORDED -> drain(a, cluster);
            case "draining" -> awaitTask(a, cluster, "drained", "drained");
            case "drained" -> removeDrained(a, cluster);
            default -> throw new IllegalStateException("a scale-in has no step " + a.step());
        };
    }

    private Action drain(Action a, ClusterView cluster) {
        InstanceView subject = cluster.members().stream().filter(i -> i.id() == a.subject()).findFirst()
                .orElse(null);
        if (subject == null) {
            return finish(a, ActionState.ABANDONED, "instance " + a.subject() + " is no longer a member");
        }
        if (!subject.active()) {
            // the drain was asked for before a restart
            return cluster.task() == null ? a : draining(a, cluster.task().id());
        }
        try {
            TaskView task = SchedulerErrors.body(redisCtl.drain(a.tenant(), a.clusterId(), subject.id()));
            return draining(a, task.id());
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 409 && cluster.busy()) {
                return actions.update(a.at(a.step(), "waiting to drain: " + SchedulerErrors.message(e),
                        clock.instant()));
            }
            return finish(a, ActionState.ABANDONED, "redis-ctl refused to drain instance " + subject.id() + ": "
                    + SchedulerErrors.message(e));
        }
    }

    private Action draining(Action a, long task) {
        Action next = actions.update(a.withTask(task, clock.instant()).at("draining", "draining (task " + task + ")",
                clock.instant()));
        crash.passed("draining");
        return next;
    }

    private Action removeDrained(Action a, ClusterView cluster) {
        int removed = 0;
        for (InstanceView i : cluster.members()) {
            if (i.state() == InstanceState.REMOVABLE) {
                try {
                    SchedulerErrors.body(redisCtl.removeInstance(a.tenant(), a.clusterId(), i.id()));
                    removed++;
                } catch (HttpClientResponseException e) {
                    if (e.getStatus().getCode() != 404) {
                        throw e;
                    }
                }
            }
        }
        Action next = finish(a.at("removed", a.detail(), clock.instant()), ActionState.DONE, "removed a master ("
                + removed + " instance" + (removed == 1 ? "" : "s") + ")");
        crash.passed("removed");
        return next;
    }

    /** Waits for redis-ctl's task; once done, the action is at {@code next} (or finished, for the last step). */
    private Action awaitTask(Action a, ClusterView cluster, String next, String result) {
        TaskView task = redisCtl.task(a.tenant(), a.taskId());
        if (task == null) {
            return finish(a, ActionState.FAILED, "redis-ctl has no task " + a.taskId() + " any more");
        }
        if (task.open()) {
            String text = "task " + task.id() + " (" + task.kind().id() + "): " + task.step() + ": " + task.progress();
            return text.equals(a.detail()) ? a : actions.update(a.at(a.step(), text, clock.instant()));
        }
        if (!task.done()) {
            return finish(a, ActionState.FAILED, "task " + task.id() + " (" + task.kind().id() + ") failed: "
                    + task.error());
        }
        if ("done".equals(next)) {
            Action finished = finish(a, ActionState.DONE, result);
            crash.passed("done");
            return finished;
        }
        Action moved = actions.update(a.at(next, result, clock.instant()));
        crash.passed(next);
        return moved;
    }

    private Action abandon(Action a, List<Long> containers, String why) {
        int removed = 0;
        for (long id : containers) {
            try {
                scheduler.remove(a.tenant(), id);
                removed++;
            } catch (HttpClientResponseException e) {
                LOG.warn("cluster {}/{}: cannot remove container {} of an abandoned scale-out: {}", a.tenant(),
                        a.cluster(), id, SchedulerErrors.message(e));
            }
        }
        return finish(a, ActionState.ABANDONED, why + (containers.isEmpty() ? "" : "; removed " + removed + " of "
                + containers.size() + " containers it deployed"));
    }

    private Action finish(Action a, ActionState end, String text) {
        startedHere.remove(a.id());
        Action done = actions.update(a.finished(end, text, clock.instant()));
        LOG.info("cluster {}/{}: {} {}: {}", a.tenant(), a.cluster(), a.kind().id(), end.id(), text);
        return done;
    }

    private static List<Long> ids(HttpResponse<List<Schema.Container>> deployed) {
        return SchedulerErrors.body(deployed).stream().map(Schema.Container::id).toList();
    }

    private static Set<Long> memberContainers(ClusterView cluster) {
        Set<Long> ids = new HashSet<>();
        cluster.members().forEach(i -> ids.add(i.containerId()));
        return ids;
    }
}

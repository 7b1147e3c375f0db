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
import io.biu.redismonitor.client.ActionKind.ScaleIn;
import io.biu.redismonitor.client.ActionKind.ScaleOut;
import io.biu.redismonitor.client.ActionState;
import io.biu.redismonitor.client.ActionStep;
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
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scaling actions as the named steps their kind declares ({@link ActionKind}), each recorded before the next,
 * and advanced one step (or one look at a wait) per monitor round, so that a restarted monitor resumes where the last
 * one stopped. Every step is a crash point, passed once it is recorded.
 *
 * <p><b>Scale-out</b>: {@code recorded} (with the app's containers at that moment) → {@code deployed} (the new masters
 * and their replicas, each shard in an anti-affinity group of its own; all or none) → {@code ready} (every one passed
 * its readiness probe) → {@code joined} (redis-ctl's join task started) → {@code done} (the task finished). An action
 * found at {@code recorded} by a restarted monitor is abandoned: containers its deploy may have made are removed,
 * unless redis-ctl's adoption joined them already, in which case the action ends with that join.
 *
 * <p><b>Scale-in</b>: {@code recorded} (with the master to drain) → {@code draining} (redis-ctl's drain task) →
 * {@code drained} → {@code removed} (redis-ctl removes every instance the drain made removable: the master and the
 * replicas the other masters do not need), which completes it.
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
    private final Set<Long> startedHere = ConcurrentHashMap.newKeySet();

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

    /** Called once {@link #start}'s transaction committed: the action is at its first step. */
    void recorded(Action action) {
        crash.passed(action.kind().first().id());
    }

    /** Moves the action on by at most one step; returns it as it now stands. */
    public Action advance(Action action, ClusterView cluster) {
        return switch (action.kind()) {
            case SCALE_OUT -> scaleOut(action, cluster);
            case SCALE_IN -> scaleIn(action, cluster);
        };
    }

    private Action scaleOut(Action a, ClusterView cluster) {
        return switch ((ScaleOut) a.lastStep()) {
            case RECORDED -> startedHere.contains(a.id()) ? deploy(a, cluster) : recover(a, cluster);
            case DEPLOYED -> awaitReady(a);
            case READY -> join(a, cluster);
            case JOINED -> awaitTask(a, ScaleOut.DONE, "added " + masters(a.masters()));
            case DONE -> finish(a, ActionState.DONE, a.detail());
        };
    }

    private Action scaleIn(Action a, ClusterView cluster) {
        return switch ((ScaleIn) a.lastStep()) {
            case RECORDED -> drain(a, cluster);
            case DRAINING -> awaitTask(a, ScaleIn.DRAINED, ScaleIn.DRAINED.id());
            case DRAINED -> removeDrained(a, cluster);
            case REMOVED -> finish(a, ActionState.DONE, a.detail());
        };
    }

    private Action deploy(Action a, ClusterView cluster) {
        List<Long> deployed = new ArrayList<>();
        try {
            for (ShardDeployment shard : ShardDeployment.growth(cluster, a.masters(), volumesLeft(a, cluster))) {
                deployed.addAll(ids(scheduler.deploy(a.tenant(), cluster.app(), shard.master())));
                Optional<Schema.Deploy> replicas = shard.replicaSet();
                if (replicas.isPresent()) {
                    deployed.addAll(ids(scheduler.deploy(a.tenant(), cluster.app(), replicas.get())));
                }
            }
        } catch (HttpClientResponseException e) {
            return abandon(a, deployed, "the scheduler refused the containers: " + SchedulerErrors.message(e));
        }
        return passed(a.withContainers(deployed, clock.instant()), ScaleOut.DEPLOYED, ScaleOut.DEPLOYED.id() + " "
                + deployed.size() + " containers; waiting for them to be ready");
    }

    /** The volumes left at the app's keys, which new shards keep clear of; none for a cluster that keeps no data. */
    private List<Schema.Volume> volumesLeft(Action a, ClusterView cluster) {
        if (!cluster.persistence().keepsData()) {
            return List.of();
        }
        List<Schema.Volume> left = scheduler.volumes(a.tenant(), cluster.app());
        return left == null ? List.of() : left;
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
            Action adopted = a.withContainers(fresh, clock.instant());
            return cluster.task() == null ? complete(adopted, "added by redis-ctl's adoption")
                    : passed(adopted.withTask(cluster.task().id(), clock.instant()), ScaleOut.JOINED,
                            ScaleOut.JOINED.id() + " by redis-ctl's adoption");
        }
        return abandon(a, fresh.stream().filter(id -> !members.contains(id)).toList(),
                "interrupted before its containers were recorded");
    }

    private Action awaitReady(Action a) {
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
            return passed(a, ScaleOut.READY, "all " + ready + " containers " + ScaleOut.READY.id() + "; joining them");
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
            return cluster.task() == null ? complete(a, "added " + masters(a.masters()))
                    : joined(a, cluster.task().id());
        }
        List<Member> list = new ArrayList<>();
        for (long id : a.containerIds()) {
            Schema.Container c = scheduler.container(a.tenant(), id);
            list.add(Member.of(id, c != null && Role.MASTER.id().equals(c.role()) ? Role.MASTER : Role.REPLICA));
        }
        try {
            TaskView task = SchedulerErrors.body(redisCtl.join(a.tenant(), a.clusterId(), new JoinRequest(list)));
            return joined(a, task.id());
        } catch (HttpClientResponseException e) {
            if (e.getStatus().getCode() == 409) {
                // busy with another task (adoption's, say): look again next round
                return actions.update(a.telling("waiting to join: " + SchedulerErrors.message(e), clock.instant()));
            }
            return abandon(a, a.containerIds(), "redis-ctl refused to join them: " + SchedulerErrors.message(e));
        }
    }

    private Action joined(Action a, long task) {
        return passed(a.withTask(task, clock.instant()), ScaleOut.JOINED, "joining (task " + task + ")");
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
                return actions.update(a.telling("waiting to drain: " + SchedulerErrors.message(e), clock.instant()));
            }
            return finish(a, ActionState.ABANDONED, "redis-ctl refused to drain instance " + subject.id() + ": "
                    + SchedulerErrors.message(e));
        }
    }

    private Action draining(Action a, long task) {
        return passed(a.withTask(task, clock.instant()), ScaleIn.DRAINING, ScaleIn.DRAINING.id() + " (task " + task
                + ")");
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
        return complete(a, "removed a master (" + removed + " instance" + (removed == 1 ? "" : "s") + ")");
    }

    /** Waits for redis-ctl's task; once done, the action has completed {@code next}. */
    private Action awaitTask(Action a, ActionStep next, String result) {
        TaskView task = redisCtl.task(a.tenant(), a.taskId());
        if (task == null) {
            return finish(a, ActionState.FAILED, "redis-ctl has no task " + a.taskId() + " any more");
        }
        if (task.open()) {
            String text = "task " + task.id() + " (" + task.kind().id() + "): " + task.step() + ": " + task.progress();
            return text.equals(a.detail()) ? a : actions.update(a.telling(text, clock.instant()));
        }
        if (!task.done()) {
            return finish(a, ActionState.FAILED, "task " + task.id() + " (" + task.kind().id() + ") failed: "
                    + task.error());
        }
        return next == a.kind().last() ? complete(a, result) : passed(a, next, result);
    }

    /** Records that the action completed {@code step}, then passes its crash point. */
    private Action passed(Action a, ActionStep step, String text) {
        Action next = actions.update(a.at(step, text, clock.instant()));
        crash.passed(step.id());
        return next;
    }

    /** Records that the action completed its kind's last step, and so is done. */
    private Action complete(Action a, String text) {
        ActionStep last = a.kind().last();
        Action done = finish(a.at(last, text, clock.instant()), ActionState.DONE, text);
        crash.passed(last.id());
        return done;
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

    private static String masters(int n) {
        return n + " master" + (n == 1 ? "" : "s");
    }

    private static Set<Long> memberContainers(ClusterView cluster) {
        Set<Long> ids = new HashSet<>();
        cluster.members().forEach(i -> ids.add(i.containerId()));
        return ids;
    }
}

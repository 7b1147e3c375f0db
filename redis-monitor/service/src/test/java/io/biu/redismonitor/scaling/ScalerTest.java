package io.biu.redismonitor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.crash.CrashPoints;
import io.biu.kit.crash.StepList;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.Member;
import io.biu.redisctl.client.Naming;
import io.biu.redisctl.client.Role;
import io.biu.redismonitor.MonitorConfig;
import io.biu.redismonitor.client.ActionKind.ScaleIn;
import io.biu.redismonitor.client.ActionKind.ScaleOut;
import io.biu.redismonitor.client.ActionKind;
import io.biu.redismonitor.client.ActionState;
import io.biu.redismonitor.client.Inputs;
import io.biu.redismonitor.policy.Decision;
import io.biu.redismonitor.policy.Numbers;
import io.biu.redismonitor.policy.Reason;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.Schema;
import io.micronaut.serde.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scaler against a scheduler and a redis-ctl in memory: each test moves an action on round by round, as the
 * monitor does, and looks at what it asked of them and what it recorded.
 */
class ScalerTest {

    private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
    private static final MonitorConfig CONFIG = new MonitorConfig(Duration.ofSeconds(10), Duration.ofSeconds(120),
            Duration.ofMinutes(5), true);
    private static final Numbers NUMBERS = new Numbers(0.85, 0.9, 850, 1000, 10, 0.1, 2.5, null, 40, 3, 4);
    private static final Inputs INPUTS = new Inputs(0.85, 0.9, 850, 1000, 10, 0.1, 2.5, null, 40, 3, 4, false, 2,
            null, null, null);

    private final MutableClock clock = new MutableClock();
    private final MemoryActions actions = new MemoryActions();
    private final MemoryDecisions decisions = new MemoryDecisions();
    private final FakeScheduler scheduler = new FakeScheduler();
    private final FakeRedisCtl redisCtl = new FakeRedisCtl(scheduler, 3, 1);
    private final Audit audit = new Audit(decisions, ObjectMapper.getDefault(), CONFIG, (row, inputs) -> { });

    private static final class MutableClock extends Clock {
        private Instant now = T0;

        void pass(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A monitor process's scaler, halting after {@code crashAfter} ("" for none). */
    private Scaler scaler(String crashAfter) {
        return new Scaler(actions, audit, redisCtl, scheduler, crashPoints(crashAfter), CONFIG, clock);
    }

    /** The kit's crash points over this service's steps, halting by throwing (nothing after the step runs). */
    private static CrashPoints crashPoints(String crashAfter) {
        return new CrashPoints(List.<StepList>of(new ActionSteps()), crashAfter, step -> {
            throw new CrashPoints.Halted(step);
        });
    }

    /** What the monitor does on deciding a scale-out: record it, pass the crash point, take the first step. */
    private Action scaleOut(Scaler scaler, int add) {
        Action a = scaler.start(redisCtl.view(), new Decision.ScaleOut(add, Reason.MEMORY_MEAN, NUMBERS), INPUTS,
                clock.instant(), scheduler.ids(FakeRedisCtl.APP), null).orElseThrow();
        scaler.recorded(a);
        return scaler.advance(a, redisCtl.view());
    }

    private Action scaleIn(Scaler scaler, long master) {
        Action a = scaler.start(redisCtl.view(), new Decision.ScaleIn(Reason.IDLE, NUMBERS), INPUTS, clock.instant(),
                List.of(), master).orElseThrow();
        scaler.recorded(a);
        return scaler.advance(a, redisCtl.view());
    }

    /** One monitor round: the action as stored, moved on by a step at most. */
    private Action round(Scaler scaler, Action a) {
        clock.pass(CONFIG.interval());
        return scaler.advance(actions.findById(a.id()).orElseThrow(), redisCtl.view());
    }

    private Set<Long> memberContainers() {
        Set<Long> ids = new HashSet<>();
        redisCtl.view().members().forEach(i -> ids.add(i.containerId()));
        return ids;
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void aScaleOutDeploysEachNewShardInItsOwnGroupWithItsReplicasThenJoinsThem() {
        Scaler scaler = scaler("");
        Action a = scaleOut(scaler, 2);
        assertEquals(ScaleOut.DEPLOYED, a.lastStep());
        assertEquals(List.of(
                new Schema.Deploy(1, null, List.of(Naming.shardGroup(7, 3)), "master", null),
                new Schema.Deploy(1, null, List.of(Naming.shardGroup(7, 3)), "replica", null),
                new Schema.Deploy(1, null, List.of(Naming.shardGroup(7, 4)), "master", null),
                new Schema.Deploy(1, null, List.of(Naming.shardGroup(7, 4)), "replica", null)), scheduler.deploys);
        assertEquals(4, a.containerIds().size());

        assertEquals(ScaleOut.DEPLOYED, round(scaler, a).lastStep(), "waits for the containers to be ready");
        scheduler.readyAll();
        assertEquals(ScaleOut.READY, round(scaler, a).lastStep());

        a = round(scaler, a);
        assertEquals(ScaleOut.JOINED, a.lastStep());
        assertEquals(1, redisCtl.joins.size());
        List<Long> ids = a.containerIds();
        assertEquals(List.of(Member.of(ids.get(0), Role.MASTER), Member.of(ids.get(1), Role.REPLICA),
                Member.of(ids.get(2), Role.MASTER), Member.of(ids.get(3), Role.REPLICA)),
                redisCtl.joins.get(0).members());
        long task = a.taskId();

        a = round(scaler, a);
        assertEquals(ScaleOut.JOINED, a.lastStep(), "waits for the join");
        assertEquals("task " + task + " (join): meet: started", a.detail());
        redisCtl.finish(task);
        a = round(scaler, a);
        assertEquals(ActionState.DONE, a.state());
        assertEquals("added 2 masters", a.detail());
        assertEquals(ActionKind.SCALE_OUT.stepIds(), actions.steps(a.id()), "every step recorded, in order");
        assertEquals(List.of(), scheduler.removed);
    }

    @Test
    void theSchedulerRefusingCapacityAbandonsTheScaleOutAndRemovesWhatItDeployed() {
        scheduler.room = 3;
        List<Long> before = scheduler.ids(FakeRedisCtl.APP);
        Action a = scaleOut(scaler(""), 2);
        assertEquals(ActionState.ABANDONED, a.state());
        assertEquals("the scheduler refused the containers: pod lab has no room for another container of 0.5 cores; "
                + "removed 3 of 3 containers it deployed", a.detail());
        assertEquals(3, scheduler.removed.size());
        assertEquals(before, scheduler.ids(FakeRedisCtl.APP), "nothing it deployed is left");
        assertEquals(List.of(), redisCtl.joins);
    }

    @Test
    void aContainerDyingBeforeItIsReadyAbandonsTheScaleOutAndRemovesItsContainers() {
        List<Long> before = scheduler.ids(FakeRedisCtl.APP);
        Scaler scaler = scaler("");
        Action a = scaleOut(scaler, 1);
        long dead = a.containerIds().get(1);
        scheduler.state(dead, ContainerState.DIED);
        a = round(scaler, a);
        assertEquals(ActionState.ABANDONED, a.state());
        assertEquals("container " + dead + " is died before it was ready; removed 2 of 2 containers it deployed",
                a.detail());
        assertEquals(before, scheduler.ids(FakeRedisCtl.APP));
        assertEquals(List.of(), redisCtl.joins);
    }

    @Test
    void aScaleOutWhoseContainersAreNotReadyInTimeIsAbandoned() {
        Scaler scaler = scaler("");
        Action a = scaleOut(scaler, 1);
        clock.pass(CONFIG.readyTimeout());
        a = round(scaler, a);
        assertEquals(ActionState.ABANDONED, a.state());
        assertTrue(a.detail().startsWith("only 0 of 2 containers were ready after 120 s"), a.detail());
        assertEquals(2, scheduler.removed.size());
    }

    @Test
    void aBusyRedisCtlMakesTheJoinWaitAndTryAgainNextRound() {
        Scaler scaler = scaler("");
        Action a = scaleOut(scaler, 1);
        scheduler.readyAll();
        a = round(scaler, a);
        redisCtl.busy = true;
        a = round(scaler, a);
        assertEquals(ScaleOut.READY, a.lastStep());
        assertEquals(ActionState.RUNNING, a.state());
        assertEquals("waiting to join: cluster shop has a task running (heal): try again when it is done",
                a.detail());
        assertEquals(List.of(), redisCtl.joins);

        redisCtl.busy = false;
        a = round(scaler, a);
        assertEquals(ScaleOut.JOINED, a.lastStep());
        assertEquals(1, redisCtl.joins.size());
    }

    @Test
    void aScaleOutFoundRecordedAfterARestartEndsWithTheJoinOfRedisCtlsAdoption() {
        Action a = scaler("").start(redisCtl.view(), new Decision.ScaleOut(1, Reason.MEMORY_MEAN, NUMBERS), INPUTS,
                clock.instant(), scheduler.ids(FakeRedisCtl.APP), null).orElseThrow();
        // the monitor deployed, then stopped before recording it; redis-ctl's adoption joins the orphans
        List<Long> orphans = List.of(scheduler.deploy("acme", FakeRedisCtl.APP, new Schema.Deploy(1, null,
                List.of(Naming.shardGroup(7, 3)), "master", null)).body().get(0).id(),
                scheduler.deploy("acme", FakeRedisCtl.APP, new Schema.Deploy(1, null,
                        List.of(Naming.shardGroup(7, 3)), "replica", null)).body().get(0).id());
        long adoption = redisCtl.adopt(orphans);

        Scaler restarted = scaler("");
        a = round(restarted, a);
        assertEquals(ScaleOut.JOINED, a.lastStep());
        assertEquals(adoption, a.taskId());
        assertEquals(orphans, a.containerIds());
        redisCtl.finish(adoption);
        a = round(restarted, a);
        assertEquals(ActionState.DONE, a.state());
        assertEquals(List.of(), scheduler.removed);
        assertEquals(List.of(), redisCtl.joins, "it joined nothing itself");
    }

    @Test
    void aScaleOutFoundRecordedAfterARestartRemovesTheContainersNobodyJoined() {
        List<Long> before = scheduler.ids(FakeRedisCtl.APP);
        Action a = scaler("").start(redisCtl.view(), new Decision.ScaleOut(1, Reason.MEMORY_MEAN, NUMBERS), INPUTS,
                clock.instant(), before, null).orElseThrow();
        List<Long> orphans = List.of(scheduler.deploy("acme", FakeRedisCtl.APP, new Schema.Deploy(1, null,
                List.of(Naming.shardGroup(7, 3)), "master", null)).body().get(0).id());

        a = round(scaler(""), a);
        assertEquals(ActionState.ABANDONED, a.state());
        assertEquals("interrupted before its containers were recorded; removed 1 of 1 containers it deployed",
                a.detail());
        assertEquals(orphans, scheduler.removed);
        assertEquals(before, scheduler.ids(FakeRedisCtl.APP), "the cluster's own containers stay");
    }

    @Test
    void aScaleInDrainsWaitsThenRemovesEveryInstanceTheDrainMadeRemovable() {
        InstanceView master = redisCtl.master(2);
        Scaler scaler = scaler("");
        Action a = scaleIn(scaler, master.id());
        assertEquals(ScaleIn.DRAINING, a.lastStep());
        assertEquals(List.of(master.id()), redisCtl.drains);
        long task = a.taskId();

        assertEquals(ScaleIn.DRAINING, round(scaler, a).lastStep(), "waits for the drain");
        redisCtl.finish(task);
        a = round(scaler, a);
        assertEquals(ScaleIn.DRAINED, a.lastStep());
        List<Long> removable = redisCtl.view().members().stream().filter(i -> i.state() == InstanceState.REMOVABLE)
                .map(InstanceView::id).toList();
        assertEquals(2, removable.size(), "the master and its replica");

        a = round(scaler, a);
        assertEquals(ActionState.DONE, a.state());
        assertEquals(removable, redisCtl.removed);
        assertEquals("removed a master (2 instances)", a.detail());
        assertEquals(ActionKind.SCALE_IN.stepIds(), actions.steps(a.id()), "every step recorded, in order");
    }

    @Test
    void aFailedJoinTaskFailsTheScaleOut() {
        Scaler scaler = scaler("");
        Action a = scaleOut(scaler, 1);
        scheduler.readyAll();
        round(scaler, a);
        a = round(scaler, a);
        redisCtl.fail(a.taskId(), "MIGRATE of slot 5461 timed out");
        a = round(scaler, a);
        assertEquals(ActionState.FAILED, a.state());
        assertEquals("task " + a.taskId() + " (join) failed: MIGRATE of slot 5461 timed out", a.detail());
        assertEquals(List.of(), scheduler.removed, "joined containers are the cluster's now: none is removed");
    }

    @Test
    void aFailedDrainTaskFailsTheScaleIn() {
        Scaler scaler = scaler("");
        Action a = scaleIn(scaler, redisCtl.master(2).id());
        redisCtl.fail(a.taskId(), "a replica did not follow");
        a = round(scaler, a);
        assertEquals(ActionState.FAILED, a.state());
        assertEquals("task " + a.taskId() + " (drain) failed: a replica did not follow", a.detail());
        assertEquals(List.of(), redisCtl.removed);
    }

    @ParameterizedTest
    @EnumSource(ScaleOut.class)
    void aMonitorHaltedAfterAnyStepOfAScaleOutLeavesOneOutcomeAndNoOrphan(ScaleOut haltAfter) {
        Scaler halting = scaler(haltAfter.id());
        CrashPoints.Halted halted = assertThrows(CrashPoints.Halted.class, () -> {
            Action a = scaleOut(halting, 1);
            for (int round = 0; round < 10; round++) {
                scheduler.readyAll();
                redisCtl.finishOpen();
                a = round(halting, a);
            }
        });
        assertEquals("halted after step '" + haltAfter.id() + "'", halted.getMessage());

        Scaler taker = scaler("");
        Action action = actions.rows().get(0);
        for (int round = 0; round < 10 && action.running(); round++) {
            scheduler.readyAll();
            redisCtl.finishOpen();
            action = round(taker, action);
        }
        assertEquals(1, actions.count());
        ActionState expected = haltAfter == ScaleOut.RECORDED ? ActionState.ABANDONED : ActionState.DONE;
        assertEquals(expected, action.state(), action.detail());
        assertEquals(expected == ActionState.DONE ? 4 : 3, redisCtl.view().activeMasters().size());
        assertEquals(memberContainers(), new HashSet<>(scheduler.ids(FakeRedisCtl.APP)), "no orphan container");
        assertNotNull(action.finishedAt());
    }
}

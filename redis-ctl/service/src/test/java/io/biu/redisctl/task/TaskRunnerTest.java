package io.biu.redisctl.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.crash.CrashPoints;
import io.biu.kit.lease.DatabaseClock;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.StepTiming;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.cluster.ClusterService;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The task runner on an H2 database in PostgreSQL mode, with scripted steps: runners are processes (each with a task
 * store of its own, so the task table tells them apart), and a poll returns once the tasks it claimed have stopped.
 * Leases last a second and a lapsed claim is taken over {@link #GRACE} later, so a lapsed one is a short wait, and a
 * step that keeps failing is given up after {@link #GIVE_UP}. A process halts after step {@code rehome-replicas}, as
 * {@code biu.crash-after} has it, once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskRunnerTest {

    private static final OnTheCallersThread DIRECT = new OnTheCallersThread();
    private static final Duration GIVE_UP = Duration.ofSeconds(3);
    private static final Duration GRACE = Duration.ofMillis(500);
    private static final Caller TEAM = new Caller("ci", TokenKind.TENANT, "team");

    private ApplicationContext context;
    private TaskRepository tasks;
    private ClusterRepository clusters;
    private TaskStore first;
    private TaskStore second;
    private ClusterService service;
    private final List<TaskRunner> runners = new ArrayList<>();
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    /** The process halts as {@link CrashPoints} makes it, once: the one that resumes runs without the setting. */
    @Singleton
    @Requires(property = "test.task-runner", value = "true")
    static class HaltOnce implements CrashPoints.Halt {
        private final AtomicInteger halts = new AtomicInteger();

        @Override
        public void now(String step) {
            if (halts.getAndIncrement() == 0) {
                throw new Halted(step);
            }
        }
    }

    /** What becomes of a process halted at a crash point: it stops where it is, writing nothing more. */
    static final class Halted extends Error {
        Halted(String step) {
            super("halted after step " + step);
        }
    }

    @BeforeAll
    void start() {
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:tasks-" + System.nanoTime()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.redis-ctl.background", "false",
                "biu.redis-ctl.task-lease", "1s",
                "biu.redis-ctl.task-takeover-grace", GRACE.toMillis() + "ms",
                "biu.redis-ctl.task-give-up", GIVE_UP.toSeconds() + "s",
                "biu.crash-after", TaskKind.Drain.REHOME_REPLICAS.id(),
                "test.task-runner", "true"));
        tasks = context.getBean(TaskRepository.class);
        clusters = context.getBean(ClusterRepository.class);
        first = context.getBean(TaskStore.class);
        second = context.createBean(TaskStore.class);
        service = context.getBean(ClusterService.class);
    }

    @AfterAll
    void stop() {
        runners.forEach(TaskRunner::stop);
        context.close();
    }

    @BeforeEach
    void noTaskOfAnotherTest() {
        tasks.deleteAll();
        journal.clear();
    }

    @Test
    void stepsRunInOrderAndTheTaskEndsDoneWithEachStepsTimeAndReport() {
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal);
        Task task = pending(TaskKind.REBALANCE);

        runner(first, steps).poll();

        assertEquals(List.of("A fix-open-slots", "A migrate", "A await-agreement"), journal);
        Task done = reload(task);
        assertEquals(TaskState.DONE, done.state());
        assertEquals(stepIds(TaskKind.REBALANCE), done.stepTimings().stream().map(StepTiming::step).toList());
        assertEquals(List.of("did fix-open-slots", "did migrate", "did await-agreement"),
                done.stepTimings().stream().map(StepTiming::report).toList());
        assertEquals("did await-agreement", done.progress());
        assertNotNull(done.finishedAt());
        assertNull(done.holder());
        assertEquals(List.of(task.clusterId()), steps.successes);
        assertEquals(List.of(), steps.failures);
    }

    @Test
    void aTransientFailureIsRetriedAfterABackoffFromTheStepThatFailed() {
        AtomicInteger migrations = new AtomicInteger();
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> {
                    if (migrations.incrementAndGet() == 1) {
                        throw new CtlException(CtlError.UNAVAILABLE, "the scheduler did not answer");
                    }
                    context.progress("moved 2 of 2 slots");
                });
        TaskRunner runner = runner(first, steps);
        Task task = pending(TaskKind.REBALANCE);

        runner.poll();

        Task waiting = reload(task);
        assertTrue(waiting.open());
        assertEquals(1, waiting.step(), "still at migrate");
        assertEquals(1, waiting.attempts());
        assertEquals("step migrate: the scheduler did not answer", waiting.error());
        assertNull(waiting.holder(), "released: any process may retry it");
        assertNull(waiting.claimId());
        assertEquals(Duration.ofSeconds(1), Duration.between(waiting.updatedAt(), waiting.leaseUntil()),
                "the first backoff");
        runner.poll();
        assertEquals(List.of("A fix-open-slots", "A migrate"), journal, "nobody retries before the backoff ends");

        awaitDone(runner, task);
        assertEquals(List.of("A fix-open-slots", "A migrate", "A migrate", "A await-agreement"), journal);
        Task done = reload(task);
        assertEquals(0, done.attempts());
        assertEquals(stepIds(TaskKind.REBALANCE), done.stepTimings().stream().map(StepTiming::step).toList());
        assertEquals(List.of(), steps.failures);
    }

    @Test
    void aRefusalFailsTheTaskAtOnceAndTellsTheHandlerWhy() {
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> {
                    throw new CtlException(CtlError.NO_CAPACITY, "no room for another master");
                });
        TaskRunner runner = runner(first, steps);
        Task task = pending(TaskKind.REBALANCE);

        runner.poll();

        Task failed = reload(task);
        assertEquals(TaskState.FAILED, failed.state());
        assertEquals("step migrate: no room for another master", failed.error());
        assertEquals(0, failed.attempts(), "not retried");
        assertNotNull(failed.finishedAt());
        assertEquals(List.of(failed.error()), steps.failures);
        assertEquals(List.of(), steps.successes);
        runner.poll();
        assertEquals(List.of("A fix-open-slots", "A migrate"), journal);
    }

    @Test
    void aRunnerWhoseTaskWasTakenStopsAtItsNextReportWritingNothing() {
        Task task = pending(TaskKind.REBALANCE);
        AtomicReference<Task> taken = new AtomicReference<>();
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> {
                    taken.set(takeOver(task));
                    context.progress("moved 1 of 2 slots");
                    journal.add("A went on without the task");
                });

        runner(first, steps).poll();

        assertEquals(List.of("A fix-open-slots", "A migrate"), journal);
        assertEquals(taken.get(), reload(task), "the task is as its new holder left it");
        assertEquals(List.of(), steps.failures);
        assertEquals(List.of(), steps.successes);
    }

    @Test
    void aRunnerWhoseTaskWasTakenDoesNotRecordTheStepItFinished() {
        Task task = pending(TaskKind.REBALANCE);
        AtomicReference<Task> taken = new AtomicReference<>();
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> taken.set(takeOver(task)));

        runner(first, steps).poll();

        assertEquals(List.of("A fix-open-slots", "A migrate"), journal);
        assertEquals(taken.get(), reload(task), "the task is as its new holder left it");
        assertEquals(List.of(), steps.successes);
    }

    @Test
    void aTaskWhoseProcessHaltedIsResumedByAnotherAtTheStepItWasInOnceTheLeaseLapses() {
        TaskRunner halting = runner(first, ScriptedHandler.drain("A", journal));
        TaskRunner taker = runner(second, ScriptedHandler.drain("B", journal));
        Task task = pending(TaskKind.DRAIN);

        halting.poll();

        assertEquals(List.of("A fix-open-slots", "A migrate", "A rehome-replicas"), journal);
        Task left = reload(task);
        assertEquals(TaskKind.Drain.REHOME_REPLICAS, left.currentStep(), "halted before it recorded the step");
        assertNotNull(left.holder());
        taker.poll();
        assertEquals(3, journal.size(), "the halted process's lease still runs: " + journal);

        awaitDone(taker, task);
        assertEquals(List.of("A fix-open-slots", "A migrate", "A rehome-replicas", "B rehome-replicas", "B forget",
                "B mark-removable"), journal);
        assertEquals(stepIds(TaskKind.DRAIN), reload(task).stepTimings().stream().map(StepTiming::step).toList());
    }

    /**
     * The database stalls while step migrate runs, until the lease lapsed: the process's next poll, which comes
     * meanwhile, finds the task runnable but must not claim it (the process still runs it), and the step's late end
     * is refused. The task goes on from migrate under a new claim once that run stopped: the step runs again (steps are
     * idempotent), never alongside its first run, and is recorded once.
     */
    @Test
    void aProcessWhoseDatabaseStalledPastTheLeaseNeitherClaimsTheTaskItRunsNorRecordsTheStepItRanMeanwhile() {
        Task task = pending(TaskKind.REBALANCE);
        StallingStore store = new StallingStore(first);
        AtomicReference<TaskRunner> self = new AtomicReference<>();
        AtomicInteger runs = new AtomicInteger();
        Overlap migrating = new Overlap();
        List<String> claims = new CopyOnWriteArrayList<>();
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> migrating.during(() -> {
                    if (runs.incrementAndGet() == 1) {
                        claims.add(reload(task).claimId());
                        store.stall();
                        awaitClaimable(task);
                        // the process's next poll comes while the step still runs
                        self.get().poll();
                        claims.add(reload(task).claimId());
                        store.resume();
                    }
                }));
        self.set(runner(store, steps));

        self.get().poll();
        awaitDone(self.get(), task);

        assertEquals(2, claims.size());
        assertEquals(claims.get(0), claims.get(1), "the poll during the step did not claim the task again");
        assertEquals(List.of("A fix-open-slots", "A migrate", "A migrate", "A await-agreement"), journal,
                "the run under the lapsed lease is not recorded: the step runs again under a new claim, after it");
        assertEquals(1, migrating.most(), "never two runs of the step at once");
        assertEquals(stepIds(TaskKind.REBALANCE), reload(task).stepTimings().stream().map(StepTiming::step).toList());
        assertEquals(List.of(task.clusterId()), steps.successes);
    }

    /**
     * The first run stalls in step migrate past its lease; another claim takes the task over and is in step migrate too
     * when the first run's step ends. The claim of another process, and a second claim of the same one (which its
     * process identity and the step could not tell apart), both fence the first run.
     */
    @ParameterizedTest(name = "taken over by {0}")
    @ValueSource(strings = {"another process", "the same process"})
    void aStalledRunsLateStepIsRefusedOnceAnotherClaimTookTheTaskOver(String taker) {
        Task task = pending(TaskKind.REBALANCE);
        StallingStore stalled = new StallingStore(first);
        CountDownLatch takerMigrating = new CountDownLatch(1);
        CountDownLatch firstRunOver = new CountDownLatch(1);
        ScriptedHandler<TaskKind.Rebalance> b = ScriptedHandler.rebalance("B", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> {
                    takerMigrating.countDown();
                    awaitLatch(firstRunOver);
                    context.progress("moved 2 of 2 slots");
                });
        TaskRunner taking = runner(taker.equals("the same process") ? first : second, b);
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        ScriptedHandler<TaskKind.Rebalance> a = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> {
                    stalled.stall();
                    awaitClaimable(task);
                    // the lease stays lapsed (its renewals are stalled): the taker's first poll claims the task
                    elsewhere.execute(taking::poll);
                    awaitLatch(takerMigrating);
                    stalled.resume();
                });
        try {
            runner(stalled, a).poll();

            Task midway = reload(task);
            assertEquals(TaskKind.Rebalance.MIGRATE, midway.currentStep(), "the stalled run's migrate is not recorded");
            assertEquals(List.of("fix-open-slots"), midway.stepTimings().stream().map(StepTiming::step).toList());
            firstRunOver.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> reload(task).state() == TaskState.DONE);
        } finally {
            firstRunOver.countDown();
            elsewhere.shutdown();
        }
        assertEquals(List.of("A fix-open-slots", "A migrate", "B migrate", "B await-agreement"), journal);
        Task done = reload(task);
        assertEquals(stepIds(TaskKind.REBALANCE), done.stepTimings().stream().map(StepTiming::step).toList(),
                "no step skipped, none recorded twice");
        assertEquals("moved 2 of 2 slots", done.stepTimings().get(1).report(), "migrate as the taker ran it");
        assertEquals(List.of(), a.successes);
        assertEquals(List.of(task.clusterId()), b.successes);
    }

    @Test
    void aStepThatKeepsFailingForAReasonRetryingMayFixIsRetriedUntilTheGiveUpThenTheTaskFails() {
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> {
                    throw new CtlException(CtlError.UNAVAILABLE, "the scheduler did not answer");
                });
        TaskRunner runner = runner(first, steps);
        Task task = pending(TaskKind.REBALANCE);

        runner.poll();
        Instant since = reload(task).failingSince();
        assertNotNull(since);
        await().atMost(GIVE_UP.plusSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            runner.poll();
            return !reload(task).open();
        });

        Task failed = reload(task);
        assertEquals(TaskState.FAILED, failed.state());
        long runs = journal.stream().filter("A migrate"::equals).count();
        assertTrue(runs >= 2, "retried (after 1 s, 2 s, then at the give-up): " + journal);
        assertFalse(failed.finishedAt().isBefore(since.plus(GIVE_UP)), "not before the give-up");
        long over = Duration.between(since, failed.finishedAt()).toSeconds();
        assertEquals("step migrate: the scheduler did not answer (tried " + runs + " times over " + over
                + " s, giving up after 3 s)", failed.error());
        assertEquals(List.of(failed.error()), steps.failures);
    }

    @Test
    void failuresRetryingMayFixAreRetriedAndOthersAreNot() {
        for (RuntimeException e : List.of(new CtlException(CtlError.UNAVAILABLE, "down"),
                httpError(HttpStatus.CONFLICT), httpError(HttpStatus.TOO_MANY_REQUESTS),
                httpError(HttpStatus.INTERNAL_SERVER_ERROR),
                httpError(HttpStatus.SERVICE_UNAVAILABLE), new UncheckedIOException(new IOException("reset")),
                new IllegalStateException("gave up waiting 60 s for cluster_state:ok"))) {
            assertFalse(TaskRunner.permanent(e), e.toString());
        }
        for (RuntimeException e : List.of(new CtlException(CtlError.INVALID, "bad"), new CtlException(
                CtlError.NO_CAPACITY, "full"), httpError(HttpStatus.BAD_REQUEST), httpError(HttpStatus.NOT_FOUND),
                httpError(HttpStatus.UNPROCESSABLE_ENTITY))) {
            assertTrue(TaskRunner.permanent(e), e.toString());
        }
    }

    @Test
    void aFailedClusterResumesItsLastTaskAtTheStepThatFailedWithAFreshCount() {
        AtomicBoolean refused = new AtomicBoolean(true);
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, context -> {
                    if (refused.get()) {
                        throw new CtlException(CtlError.NO_CAPACITY, "no room for another master");
                    }
                    context.progress("moved 2 of 2 slots");
                });
        TaskRunner runner = runner(first, steps);
        Task task = pending(TaskKind.REBALANCE);
        runner.poll();
        failCluster(task);
        refused.set(false);

        Task resumed = service.resume(TEAM, task.clusterId());

        assertEquals(task.id(), resumed.id());
        assertEquals(TaskState.PENDING, resumed.state());
        assertEquals(TaskKind.Rebalance.MIGRATE, resumed.currentStep());
        assertEquals(0, resumed.attempts());
        assertNull(resumed.error());
        assertNull(resumed.finishedAt());
        assertEquals(ClusterState.READY, clusters.findById(task.clusterId()).orElseThrow().state(),
                "back to the state a rebalance works in");
        runner.poll();
        assertEquals(List.of("A fix-open-slots", "A migrate", "A migrate", "A await-agreement"), journal);
        Task done = reload(task);
        assertEquals(TaskState.DONE, done.state());
        assertEquals(stepIds(TaskKind.REBALANCE), done.stepTimings().stream().map(StepTiming::step).toList());
        assertEquals(List.of(task.clusterId()), steps.successes);
    }

    @Test
    void onlyAFailedClusterWithoutAnOpenTaskOfTheCallersTenantIsResumed() {
        Task ready = pending(TaskKind.REBALANCE);
        CtlException notFailed = assertThrows(CtlException.class, () -> service.resume(TEAM, ready.clusterId()));
        assertEquals(CtlError.CONFLICT, notFailed.error());
        assertEquals("cluster " + ready.clusterId() + " is ready, not failed: only a failed cluster is resumed",
                notFailed.getMessage());

        failCluster(ready);
        CtlException busy = assertThrows(CtlException.class, () -> service.resume(TEAM, ready.clusterId()));
        assertEquals(CtlError.BUSY, busy.error(), "its task is still open");

        tasks.update(reload(ready).claimed("p", "c", Instant.now(), Instant.now()).finished(TaskState.DONE, null,
                Instant.now()));
        CtlException nothing = assertThrows(CtlException.class, () -> service.resume(TEAM, ready.clusterId()));
        assertEquals(CtlError.CONFLICT, nothing.error());
        assertTrue(nothing.getMessage().endsWith("is done, not failed: there is nothing to resume"),
                nothing.getMessage());

        CtlException elsewhere = assertThrows(CtlException.class, () -> service.resume(new Caller("ci",
                TokenKind.TENANT, "zeta"), ready.clusterId()));
        assertEquals(CtlError.NOT_FOUND, elsewhere.error(), "another tenant's cluster");
    }

    @Test
    void everyKindHasOneHandlerAndItRunsThatKindsSteps() {
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<StepHandler<?>> handlers = new ArrayList<>((java.util.Collection) context.getBeansOfType(
                StepHandler.class));
        assertEquals(EnumSet.allOf(TaskKind.class), handlers.stream().map(StepHandler::kind)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(TaskKind.class))));
        runner(first, handlers.toArray(StepHandler<?>[]::new));
    }

    @Test
    void aHandlerWhoseStepsAreAnotherKindsIsRefused() {
        ScriptedHandler<TaskKind.Rebalance> wrong = new ScriptedHandler<>(TaskKind.JOIN, TaskKind.Rebalance.class,
                "A", journal);
        assertThrows(IllegalArgumentException.class, () -> runner(first, wrong));
        assertThrows(IllegalArgumentException.class, () -> runner(first, ScriptedHandler.rebalance("A", journal),
                ScriptedHandler.rebalance("B", journal)), "two handlers of one kind");
    }

    private TaskRunner runner(TaskStore store, StepHandler<?>... handlers) {
        TaskRunner runner = new TaskRunner(store, clusters, context.getBean(RedisCtlConfig.class),
                context.getBean(CrashPoints.class), List.of(handlers), List.of(), DIRECT);
        runners.add(runner);
        return runner;
    }

    private Task pending(TaskKind kind) {
        Instant now = Instant.now();
        Cluster cluster = clusters.save(new Cluster(null, "team", "c" + names.incrementAndGet(), "lab", "redis-c",
                1, 0, BigDecimal.ONE, 64 << 20, 48 << 20, Persistence.NONE, "noeviction", "secret", null,
                ClusterState.READY, now, now));
        return tasks.save(Task.pending(cluster.id(), cluster.tenant(), kind, 1L, now));
    }

    private Task reload(Task task) {
        return tasks.findById(task.id()).orElseThrow();
    }

    /** What another process does that claimed the task after this one stalled past its lease. */
    private Task takeOver(Task task) {
        Instant now = Instant.now();
        tasks.update(reload(task).claimed("another process", "another claim", now.plusSeconds(60), now));
        return reload(task);
    }

    private void awaitDone(TaskRunner runner, Task task) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> {
            runner.poll();
            return reload(task).state() == TaskState.DONE;
        });
    }

    private static List<String> stepIds(TaskKind kind) {
        return kind.steps().stream().map(TaskStep::id).toList();
    }

    /** What every handler does when its task fails. */
    private void failCluster(Task task) {
        Cluster c = clusters.findById(task.clusterId()).orElseThrow();
        clusters.update(c.withState(ClusterState.FAILED, Instant.now()));
    }

    /** Until another claim may take the task over: its lease and the grace after it passed, by the database's clock. */
    private void awaitClaimable(Task task) {
        DatabaseClock clock = context.getBean(DatabaseClock.class);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> reload(task).leaseUntil().plus(GRACE).isBefore(clock.now()));
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpClientResponseException httpError(HttpStatus status) {
        return new HttpClientResponseException(status.getReason(), HttpResponse.status(status));
    }

    /** How many runs of a step were under way at once, at most. */
    private static final class Overlap {
        private final AtomicInteger now = new AtomicInteger();
        private final AtomicInteger most = new AtomicInteger();

        void during(Runnable run) {
            most.accumulateAndGet(now.incrementAndGet(), Math::max);
            try {
                run.run();
            } finally {
                now.decrementAndGet();
            }
        }

        int most() {
            return most.get();
        }
    }
}

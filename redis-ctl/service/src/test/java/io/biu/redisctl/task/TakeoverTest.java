package io.biu.redisctl.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.crash.CrashPoints;
import io.biu.kit.lease.DatabaseClock;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A task taken over from a process whose database stalled past the lease: the old run stops acting by its own clock
 * before its lease ends, and another claim starts only a grace after it, so the two never act at once. On H2 in
 * PostgreSQL mode, with a lease of a second and a grace of {@link #GRACE}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TakeoverTest {

    private static final OnTheCallersThread DIRECT = new OnTheCallersThread();
    private static final Duration LEASE = Duration.ofSeconds(1);
    private static final Duration GRACE = Duration.ofMillis(500);

    private ApplicationContext context;
    private TaskRepository tasks;
    private ClusterRepository clusters;
    private DatabaseClock clock;
    private TaskStore first;
    private TaskStore second;
    private final List<TaskRunner> runners = new ArrayList<>();
    private final List<String> journal = new CopyOnWriteArrayList<>();
    private final AtomicInteger names = new AtomicInteger();

    /** A side effect of a step, by the claim its run held, when it was made. */
    private record Act(String claim, Instant at) {
    }

    @BeforeAll
    void start() {
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:takeover-" + System.nanoTime()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.redis-ctl.background", "false",
                "biu.redis-ctl.task-lease", LEASE.toMillis() + "ms",
                "biu.redis-ctl.task-takeover-grace", GRACE.toMillis() + "ms"));
        tasks = context.getBean(TaskRepository.class);
        clusters = context.getBean(ClusterRepository.class);
        clock = context.getBean(DatabaseClock.class);
        first = context.getBean(TaskStore.class);
        second = context.createBean(TaskStore.class);
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

    /**
     * The database stalls as step migrate starts a loop of side effects, and answers again only once that run stopped:
     * the run's lease is never renewed again. It goes on acting until its own deadline, which comes before the lease
     * the database granted ends; another process claims the task a grace after that lease, and acts only then.
     * Unfenced, the first run would go on acting until it saw the new claim act (its loop runs until then), and the
     * two would overlap.
     */
    @Test
    void aRunWhoseDatabaseStalledStopsActingBeforeItsLeaseEndsAndTheTakerActsAGraceLater() throws Exception {
        Task task = pending();
        StallingStore stalled = new StallingStore(first);
        List<Act> acts = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        ExecutorService elsewhere = Executors.newSingleThreadExecutor();
        AtomicReference<Future<?>> taking = new AtomicReference<>();
        AtomicReference<TaskRunner> taker = new AtomicReference<>();
        AtomicReference<Instant> leaseEnd = new AtomicReference<>();
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, c -> {
                    String claim = reload(task).claimId();
                    if (runs.incrementAndGet() > 1) {
                        // the run that took over: a few side effects
                        for (int i = 0; i < 5; i++) {
                            act(c, claim, acts);
                        }
                        return;
                    }
                    stalled.stall();
                    // the other process polls from now on, and claims the task once it may
                    taking.set(elsewhere.submit(() -> await().atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(20)).until(() -> {
                                taker.get().poll();
                                return reload(task).state() == TaskState.DONE;
                            })));
                    try {
                        // until another claim acted a few times, or for 5 leases: the fence must end it before
                        long until = System.nanoTime() + LEASE.multipliedBy(5).toNanos();
                        while (acts.stream().filter(a -> !a.claim().equals(claim)).count() < 5
                                && System.nanoTime() < until) {
                            act(c, claim, acts);
                        }
                    } finally {
                        // the database answers again once the run stopped (a renewal it held back may still pass)
                        leaseEnd.set(stalled.lastLease());
                        stalled.resume();
                    }
                });
        TaskRunner stalling = runner(stalled, steps);
        taker.set(runner(second, steps));
        try {
            stalling.poll();
            taking.get().get(20, TimeUnit.SECONDS);
        } finally {
            stalled.resume();
            elsewhere.shutdownNow();
        }

        Map<String, List<Act>> byClaim = new LinkedHashMap<>();
        acts.forEach(a -> byClaim.computeIfAbsent(a.claim(), k -> new ArrayList<>()).add(a));
        assertTrue(byClaim.size() >= 2, "the task was taken over: " + byClaim.keySet());
        List<List<Act>> runsActs = new ArrayList<>(byClaim.values());
        List<Act> stalledRun = runsActs.get(0);
        Instant lastOfStalled = stalledRun.get(stalledRun.size() - 1).at();
        assertTrue(lastOfStalled.isBefore(leaseEnd.get()), "the stalled run stopped acting before its lease ended at "
                + leaseEnd.get() + ": its last act was at " + lastOfStalled);
        for (int i = 1; i < runsActs.size(); i++) {
            Instant lastBefore = runsActs.get(i - 1).get(runsActs.get(i - 1).size() - 1).at();
            Instant firstAfter = runsActs.get(i).get(0).at();
            Duration gap = Duration.between(lastBefore, firstAfter);
            assertFalse(gap.compareTo(GRACE) < 0, "claim " + (i + 1) + " acted " + gap.toMillis() + " ms after "
                    + "claim " + i + " last did; at least the grace (" + GRACE.toMillis() + " ms) must lie between");
        }
        assertEquals(TaskState.DONE, reload(task).state());
    }

    @Test
    void aLapsedClaimIsTakenOverOnlyOnceTheGraceAfterItsLeasePassed() {
        Task task = pending();
        Task held = first.claim(Duration.ofMillis(200), GRACE, Set.of()).orElseThrow();
        assertEquals(task.id(), held.id());
        List<Instant> refusedAt = new ArrayList<>();

        Task taken = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            Instant now = clock.now();
            Optional<Task> claimed = second.claim(LEASE, GRACE, Set.of());
            if (claimed.isEmpty()) {
                refusedAt.add(now);
            }
            return claimed;
        }, Optional::isPresent).orElseThrow();

        Instant lapsed = held.leaseUntil();
        assertTrue(refusedAt.stream().anyMatch(t -> t.isAfter(lapsed)), "the lease lapsed at " + lapsed
                + ", and the task was not claimed then: " + refusedAt);
        assertFalse(taken.updatedAt().isBefore(lapsed.plus(GRACE)), "claimed at " + taken.updatedAt()
                + ", before the grace after its lease (" + lapsed + ") passed");
        assertNotEquals(held.claimId(), taken.claimId());
        assertTrue(first.renew(held, LEASE, null).isEmpty(), "the lapsed claim changes nothing any more");
    }

    @Test
    void aTaskNobodyHoldsIsClaimedWithoutWaitingForTheGrace() {
        Duration longGrace = Duration.ofMinutes(10);
        Task task = pending();

        Task held = first.claim(LEASE, longGrace, Set.of()).orElseThrow();
        assertEquals(task.id(), held.id(), "never claimed: at once");
        Task released = first.failedRun(held, "the scheduler did not answer", false, Duration.ofMinutes(15))
                .orElseThrow();
        Instant retryAt = released.leaseUntil();

        Task retried = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> second.claim(LEASE, longGrace, Set.of()), Optional::isPresent).orElseThrow();

        assertFalse(retried.updatedAt().isBefore(retryAt), "not before its backoff ended");
        assertTrue(Duration.between(retryAt, retried.updatedAt()).compareTo(Duration.ofSeconds(5)) < 0,
                "released for a retry: claimed once its backoff ended, with no grace");
    }

    /**
     * A step that stopped because its claim was lost, however the loss reached the runner (here from another thread,
     * wrapped), did not fail: nothing is recorded, no retry is counted, and the handler is not told of a failure.
     */
    @Test
    void aClaimLostDeepInsideAStepIsNoFailureOfTheStep() {
        Task task = pending();
        ScriptedHandler<TaskKind.Rebalance> steps = ScriptedHandler.rebalance("A", journal)
                .on(TaskKind.Rebalance.MIGRATE, c -> {
                    throw new CompletionException(new UncheckedIOException(new IOException("import stopped",
                            new TaskContext.LeaseLost(task.id()))));
                });

        runner(first, steps).poll();

        Task left = reload(task);
        assertEquals(TaskState.RUNNING, left.state());
        assertEquals(TaskKind.Rebalance.MIGRATE, left.currentStep());
        assertEquals(0, left.attempts());
        assertNull(left.error());
        assertNull(left.failingSince());
        assertEquals(List.of(), steps.failures);
    }

    /** One side effect of the run holding {@code claim}, made only while it holds it. */
    private static void act(TaskContext context, String claim, List<Act> acts) {
        context.ensureHeld();
        acts.add(new Act(claim, Instant.now()));
        context.sleep(Duration.ofMillis(10));
    }

    private TaskRunner runner(TaskStore store, StepHandler<?>... handlers) {
        TaskRunner runner = new TaskRunner(store, clusters, context.getBean(RedisCtlConfig.class),
                context.getBean(CrashPoints.class), List.of(handlers), List.of(), DIRECT);
        runners.add(runner);
        return runner;
    }

    private Task pending() {
        Instant now = Instant.now();
        Cluster cluster = clusters.save(new Cluster(null, "team", "c" + names.incrementAndGet(), "lab", "redis-c",
                1, 0, BigDecimal.ONE, 64 << 20, 48 << 20, Persistence.NONE, "noeviction", "secret", null,
                ClusterState.READY, now, now));
        return tasks.save(Task.pending(cluster.id(), cluster.tenant(), TaskKind.REBALANCE, 1L, now));
    }

    private Task reload(Task task) {
        return tasks.findById(task.id()).orElseThrow();
    }
}

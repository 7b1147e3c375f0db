package io.biu.redisctl.task;

import io.biu.kit.crash.CrashPoints;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.scheduler.client.SchedulerErrors;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks: every poll, claims runnable tasks (new ones, and those whose process died and whose lease
 * lapsed) and runs their remaining steps in order. A step that fails is retried with backoff until it has failed for
 * {@code biu.redis-ctl.task-give-up}; a step that fails for a reason retrying cannot fix (the caller's mistake, no
 * capacity) ends the task as failed at once.
 *
 * <p>Every change to a running task is made under its claim ({@link TaskStore}). When a change is refused, the claim
 * is lost (this process stalled past the lease, and the task may already run elsewhere): the run stops where it is
 * and writes nothing more; the step it was in is not recorded, so it runs again under the next claim. A process
 * never claims a task it still runs, even once that task's lease lapsed, so it never runs one task twice at once.
 *
 * <p>A run does not wait for a refusal to stop acting: it fences itself by its own clock ({@link ClaimFence}). Once its
 * lease, as it last renewed it, has run out, its step's checks ({@link TaskContext#ensureHeld}) and waits throw
 * {@link TaskContext.LeaseLost}, and the step stops as if a change had been refused; another claim takes the task over
 * only a grace ({@code biu.redis-ctl.task-takeover-grace}) after the lease ended.
 */
@Singleton
@Requires(property = "biu.redis-ctl.background", notEquals = "false")
public class TaskRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    private static final int MAX_RUNNING = 16;

    private final TaskStore store;
    private final ClusterRepository clusters;
    private final RedisCtlConfig config;
    private final CrashPoints crash;
    private final ExecutorService executor;
    private final List<StepListener> listeners;
    private final Map<TaskKind, StepHandler<?>> handlers = new EnumMap<>(TaskKind.class);
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-lease-renewal");
        t.setDaemon(true);
        return t;
    });

    TaskRunner(TaskStore store, ClusterRepository clusters, RedisCtlConfig config, CrashPoints crash,
            List<StepHandler<?>> handlers, List<StepListener> listeners,
            @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.store = store;
        this.listeners = List.copyOf(listeners);
        this.clusters = clusters;
        this.config = config;
        this.crash = crash;
        this.executor = executor;
        for (StepHandler<?> h : handlers) {
            if (!List.of(h.steps().getEnumConstants()).equals(h.kind().steps())) {
                throw new IllegalArgumentException(h.getClass().getSimpleName() + " runs " + h.steps().getSimpleName()
                        + ", not the steps of " + h.kind());
            }
            if (this.handlers.put(h.kind(), h) != null) {
                throw new IllegalArgumentException("two handlers run " + h.kind() + " tasks");
            }
        }
    }

    @Scheduled(fixedDelay = "${biu.redis-ctl.task-poll}", initialDelay = "1s")
    void poll() {
        try {
            while (running.size() < MAX_RUNNING) {
                long asked = System.nanoTime();
                Optional<Task> claimed = store.claim(config.taskLease(), config.taskTakeoverGrace(),
                        Set.copyOf(running));
                if (claimed.isEmpty()) {
                    return;
                }
                Task task = claimed.get();
                if (!running.add(task.id())) {
                    // the claim excludes what runs here; should that ever fail, the running copy goes on alone
                    LOG.error("task {} was claimed while this process runs it; the new claim is left to lapse",
                            task.id());
                    return;
                }
                executor.execute(() -> {
                    try {
                        run(task, new ClaimFence(task.id(), config.taskLease(), asked));
                    } catch (RuntimeException | Error e) {
                        LOG.error("task {} stopped unexpectedly; it resumes when its lease lapses", task.id(), e);
                    } finally {
                        running.remove(task.id());
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("cannot claim tasks: {}", e.toString());
        }
    }

    /** Runs {@code task}'s remaining steps under the claim {@code fence} guards. */
    private void run(Task task, ClaimFence fence) {
        StepHandler<?> handler = handlers.get(task.kind());
        Cluster cluster = clusters.findById(task.clusterId()).orElse(null);
        if (cluster == null) {
            store.finish(task, TaskState.FAILED, "its cluster no longer exists");
            return;
        }
        TaskStep first = task.currentStep();
        LOG.info("task {} ({} of cluster {}/{}) runs from step {} under claim {}", task.id(), task.kind(),
                cluster.tenant(), cluster.name(), first == null ? "(end)" : first.id(), task.claimId());
        Task current = task;
        for (TaskStep step = first; step != null; step = current.currentStep()) {
            Task held = current;
            long id = held.id();
            long started = System.nanoTime();
            StepContext context = new StepContext(held, fence);
            // a step may wait on something slow (an engine, a failover): its lease is renewed meanwhile
            // with a fixed delay, renewals a stalled database held back do not fire in a burst once it answers
            ScheduledFuture<?> renewal = renewer.scheduleWithFixedDelay(context::renew,
                    config.taskLease().toMillis() / 3, config.taskLease().toMillis() / 3, TimeUnit.MILLISECONDS);
            try {
                cluster = clusters.findById(task.clusterId()).orElseThrow();
                fence.ensureHeld();
                run(handler, step, cluster, held, context);
            } catch (RuntimeException e) {
                TaskContext.LeaseLost lost = lostIn(e);
                if (lost != null || !fence.held()) {
                    // a step that failed once its claim was gone may have failed for that: it runs again
                    LOG.warn("{}: stopping in step {}, which runs again under the next claim",
                            lost != null ? lost.getMessage() : "task " + id + " lost its claim (" + describe(e) + ")",
                            step.id());
                    return;
                }
                failed(handler, cluster, held, "step " + step.id() + ": " + describe(e), permanent(e));
                return;
            } finally {
                context.end();
                renewal.cancel(false);
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            LOG.info("task {} step {} took {} ms", id, step.id(), tookMs);
            crash.passed(step.id());
            long asked = System.nanoTime();
            Optional<Task> next = store.stepDone(held, config.taskLease(), tookMs);
            if (next.isEmpty()) {
                LOG.warn("task {} lost its claim during step {}: the step is not recorded and runs again under the "
                        + "next claim", id, step.id());
                return;
            }
            fence.renewed(asked);
            current = next.get();
            for (StepListener listener : listeners) {
                listener.stepDone(cluster);
            }
        }
        if (!fence.held()) {
            LOG.warn("task {} lost its claim after its last step; it ends under the next claim", current.id());
            return;
        }
        handler.succeeded(clusters.findById(task.clusterId()).orElseThrow());
        if (store.finish(current, TaskState.DONE, null).isEmpty()) {
            LOG.warn("task {} lost its claim after its last step; it ends under the next claim", current.id());
            return;
        }
        LOG.info("task {} ({}) is done", current.id(), current.kind());
    }

    /** A failed run of {@code held}'s current step: retried later, or the end of the task. */
    private void failed(StepHandler<?> handler, Cluster cluster, Task held, String why, boolean permanent) {
        Task after = store.failedRun(held, why, permanent, config.taskGiveUp()).orElse(null);
        if (after == null) {
            LOG.warn("task {} lost its claim while {} failed; the step runs again under the next claim", held.id(),
                    why);
        } else if (after.state() == TaskState.FAILED) {
            LOG.warn("task {} failed at {}", held.id(), after.error());
            handler.failed(cluster, after.error());
        } else {
            LOG.info("task {} will retry {} at {} (attempt {})", held.id(), why, after.leaseUntil(),
                    after.attempts() + 1);
        }
    }

    /** Runs {@code step}, one of the steps of {@code handler}'s kind, as that handler's step enum. */
    private static <S extends Enum<S> & TaskStep> void run(StepHandler<S> handler, TaskStep step, Cluster cluster,
            Task task, TaskContext context) {
        handler.code(handler.steps().cast(step), cluster, task).run(context);
    }

    /**
     * The context of one run of a step of a task held as {@code held}: its reports and the renewals of its lease (on
     * the renewal thread) are changes under the claim, each of which moves the claim's {@link ClaimFence} on, or, once
     * refused, trips it. Once the step ended ({@link #end}), a refusal means nothing for the claim (the step moved
     * on, which the refused renewal did not know), so it is ignored, and renewing again is pointless.
     */
    private final class StepContext implements TaskContext {
        private final Task held;
        private final ClaimFence fence;
        /** The step's run ended: nothing it left running (a thread of its own) may act any more. */
        private volatile boolean over;

        StepContext(Task held, ClaimFence fence) {
            this.held = held;
            this.fence = fence;
        }

        @Override
        public void progress(String text) {
            fence.ensureHeld();
            long asked = System.nanoTime();
            if (!changed(store.renew(held, config.taskLease(), text), asked)) {
                throw new LeaseLost(held.id());
            }
        }

        @Override
        public void ensureHeld() {
            if (over) {
                throw new LeaseLost(held.id(), "the run of step " + held.currentStep().id() + " is over");
            }
            fence.ensureHeld();
        }

        @Override
        public void sleep(Duration time) {
            fence.sleep(time);
        }

        /** Renews the lease while the step runs and its claim is held; once it is lost, renewing is pointless. */
        void renew() {
            synchronized (this) {
                if (over || !fence.held()) {
                    return;
                }
            }
            try {
                long asked = System.nanoTime();
                if (!changed(store.renew(held, config.taskLease(), null), asked) && !fence.held()) {
                    LOG.warn("task {} lost its claim during step {}: that run of the step is not recorded", held.id(),
                            held.currentStep().id());
                }
            } catch (RuntimeException e) {
                LOG.warn("cannot renew the lease of task {}: {}", held.id(), e.toString());
            }
        }

        /**
         * Whether a change under the claim, asked for at {@code asked}, went through; a refusal during the step trips
         * the fence.
         */
        private boolean changed(Optional<Task> after, long asked) {
            if (after.isPresent()) {
                fence.renewed(asked);
                return true;
            }
            synchronized (this) {
                if (!over) {
                    fence.refused();
                }
            }
            return false;
        }

        synchronized void end() {
            over = true;
        }
    }

    @PreDestroy
    void stop() {
        renewer.shutdownNow();
    }

    /** Whether retrying cannot fix what {@code e} reports: the caller's mistake, a refusal, no capacity. */
    static boolean permanent(RuntimeException e) {
        if (e instanceof CtlException c) {
            return c.error() != CtlError.UNAVAILABLE;
        }
        if (e instanceof HttpClientResponseException h) {
            int status = h.getStatus().getCode();
            return status >= 400 && status < 500 && status != 409 && status != 429;
        }
        return false;
    }

    /**
     * The lost claim that ended a step, if that is what {@code e} reports, however wrapped (a move on another thread,
     * an import's replication stream): a step that stopped for it did not fail.
     */
    static TaskContext.LeaseLost lostIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TaskContext.LeaseLost lost) {
                return lost;
            }
        }
        return null;
    }

    static String describe(RuntimeException e) {
        if (e instanceof HttpClientResponseException h) {
            return "the scheduler answered " + h.getStatus().getCode() + ": " + SchedulerErrors.message(h);
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}

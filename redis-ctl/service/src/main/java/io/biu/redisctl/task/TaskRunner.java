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
 * lapsed) and runs their remaining steps in order. A step that fails is retried with backoff; a step that
 * fails for a reason retrying cannot fix (the caller's mistake, no capacity) ends the task as failed.
 */
@Singleton
@Requires(property = "biu.redis-ctl.background", notEquals = "false")
public class TaskRunner {

    private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);
    static final int MAX_ATTEMPTS = 8;
    private static final int MAX_RUNNING = 16;

    private final TaskStore store;
    private final ClusterRepository clusters;
    private final RedisCtlConfig config;
    private final CrashPoints crash;
    private final ExecutorService executor;
    private final Map<TaskKind, StepHandler<?>> handlers = new EnumMap<>(TaskKind.class);
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "task-lease-renewal");
        t.setDaemon(true);
        return t;
    });

    TaskRunner(TaskStore store, ClusterRepository clusters, RedisCtlConfig config, CrashPoints crash,
            List<StepHandler<?>> handlers, @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.store = store;
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
                Optional<Task> claimed = store.claim(config.taskLease());
                if (claimed.isEmpty()) {
                    return;
                }
                Task task = claimed.get();
                running.add(task.id());
                executor.execute(() -> {
                    try {
                        run(task);
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

    private void run(Task task) {
        StepHandler<?> handler = handlers.get(task.kind());
        Cluster cluster = clusters.findById(task.clusterId()).orElse(null);
        if (cluster == null) {
            store.finish(task.id(), TaskState.FAILED, "its cluster no longer exists");
            return;
        }
        TaskStep first = task.currentStep();
        LOG.info("task {} ({} of cluster {}/{}) runs from step {}", task.id(), task.kind(), cluster.tenant(),
                cluster.name(), first == null ? "(end)" : first.id());
        Task current = task;
        for (TaskStep step = first; step != null; step = current.currentStep()) {
            long id = current.id();
            long started = System.nanoTime();
            // a step may wait on something slow (an engine, a failover): its lease is renewed meanwhile
            ScheduledFuture<?> renewal = renewer.scheduleAtFixedRate(() -> renew(id),
                    config.taskLease().toMillis() / 3, config.taskLease().toMillis() / 3, TimeUnit.MILLISECONDS);
            try {
                cluster = clusters.findById(task.clusterId()).orElseThrow();
                run(handler, step, cluster, current, text -> {
                    if (store.mine(id, config.taskLease(), text).isEmpty()) {
                        throw new TaskContext.LeaseLost(id);
                    }
                });
            } catch (TaskContext.LeaseLost e) {
                LOG.warn("{}: stopping", e.getMessage());
                return;
            } catch (RuntimeException e) {
                String why = "step " + step.id() + ": " + describe(e);
                if (permanent(e) || current.attempts() + 1 >= MAX_ATTEMPTS) {
                    LOG.warn("task {} failed at {}", id, why);
                    store.finish(id, TaskState.FAILED, why);
                    handler.failed(cluster, why);
                } else {
                    Duration backoff = Duration.ofSeconds(Math.min(30, 1L << current.attempts()));
                    LOG.info("task {} will retry {} in {}", id, why, backoff);
                    store.retry(id, why, backoff);
                }
                return;
            } finally {
                renewal.cancel(false);
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            LOG.info("task {} step {} took {} ms", id, step.id(), tookMs);
            crash.passed(step.id());
            Optional<Task> next = store.stepDone(id, config.taskLease(), tookMs);
            if (next.isEmpty()) {
                LOG.warn("task {} was taken by another process after step {}", id, step.id());
                return;
            }
            current = next.get();
        }
        handler.succeeded(clusters.findById(task.clusterId()).orElseThrow());
        store.finish(current.id(), TaskState.DONE, null);
        LOG.info("task {} ({}) is done", current.id(), current.kind());
    }

    /** Runs {@code step}, one of the steps of {@code handler}'s kind, as that handler's step enum. */
    private static <S extends Enum<S> & TaskStep> void run(StepHandler<S> handler, TaskStep step, Cluster cluster,
            Task task, TaskContext context) {
        handler.code(handler.steps().cast(step), cluster, task).run(context);
    }

    private void renew(long id) {
        try {
            store.mine(id, config.taskLease(), null);
        } catch (RuntimeException e) {
            LOG.warn("cannot renew the lease of task {}: {}", id, e.toString());
        }
    }

    @PreDestroy
    void stop() {
        renewer.shutdownNow();
    }

    private static boolean permanent(RuntimeException e) {
        if (e instanceof CtlException c) {
            return c.error() != CtlError.UNAVAILABLE;
        }
        if (e instanceof HttpClientResponseException h) {
            int status = h.getStatus().getCode();
            return status >= 400 && status < 500 && status != 409 && status != 429;
        }
        return false;
    }

    static String describe(RuntimeException e) {
        if (e instanceof HttpClientResponseException h) {
            return "the scheduler answered " + h.getStatus().getCode() + ": " + SchedulerErrors.message(h);
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}

package io.biu.redisctl.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.biu.kit.crash.CrashPoints;
import io.biu.kit.crash.StepList;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.store.ClusterRepository;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * redis-ctl processes sharing one database, within one test: each is a task runner with a task store of its own, built
 * from the context's step handlers and running steps on the caller's thread. One halts right after a named step (its
 * lease left to lapse, the step not recorded); a fresh one, without the setting, takes the task over and finishes it.
 * The context needs {@code biu.redis-ctl.background=false} (no runner of its own) and a short task lease.
 */
final class Processes implements AutoCloseable {

    private static final OnTheCallersThread DIRECT = new OnTheCallersThread();

    private final ApplicationContext context;
    private final TaskRepository tasks;
    private final List<TaskRunner> runners = new ArrayList<>();

    Processes(ApplicationContext context) {
        this.context = context;
        this.tasks = context.getBean(TaskRepository.class);
    }

    /** A process that halts right after {@code step} runs the task: it ends there, the step not yet recorded. */
    void haltAfter(TaskStep step, long task) {
        CrashPoints halting = new CrashPoints(stepLists(), step.id(), s -> {
            throw new CrashPoints.Halted(s);
        });
        runner(halting).poll();
        Task left = tasks.findById(task).orElseThrow();
        assertEquals(TaskState.RUNNING, left.state(), "halted, not ended: " + left);
        assertEquals(step, left.currentStep(), "the halted process did not record the step it finished");
        assertNotEquals(null, left.holder());
    }

    /** A fresh process takes the task over once its lease lapsed, and runs it to its end: done. */
    Task finish(long task) {
        TaskRunner fresh = runner(new CrashPoints(stepLists(), null, null));
        Task ended = await("task " + task + " ended").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    fresh.poll();
                    return tasks.findById(task).orElseThrow();
                }, t -> t.state() == TaskState.DONE || t.state() == TaskState.FAILED);
        assertEquals(TaskState.DONE, ended.state(), ended.toString());
        return ended;
    }

    private TaskRunner runner(CrashPoints crash) {
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<StepHandler<?>> handlers = new ArrayList<>((Collection) context.getBeansOfType(StepHandler.class));
        TaskRunner runner = new TaskRunner(context.createBean(TaskStore.class),
                context.getBean(ClusterRepository.class), context.getBean(RedisCtlConfig.class), crash, handlers,
                List.of(), DIRECT);
        runners.add(runner);
        return runner;
    }

    private List<StepList> stepLists() {
        return List.copyOf(context.getBeansOfType(StepList.class));
    }

    @Override
    public void close() {
        runners.forEach(TaskRunner::stop);
    }
}

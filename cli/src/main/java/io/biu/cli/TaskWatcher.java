package io.biu.cli;

import io.biu.cli.api.CliException;
import io.biu.cli.render.MigrationProgress;
import io.biu.cli.render.ProgressPrinter;
import io.biu.cli.render.TaskSnapshot;
import io.biu.redisctl.client.StepTiming;
import io.biu.redisctl.client.TaskView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Follows a redis-ctl task to its end, showing its steps and progress as it goes. */
final class TaskWatcher {

    /** Longer than any task of a lab-sized cluster; a task still running then is left to run. */
    static final Duration LIMIT = Duration.ofMinutes(30);

    private final Session session;
    private final ProgressPrinter printer;
    private final Instant started;
    private MigrationProgress lastMigration;
    /** The task whose finished steps were shown, and how many of them. */
    private long shownTask = -1;
    private int stepsShown;

    TaskWatcher(Session session, ProgressPrinter printer, Instant started) {
        this.session = session;
        this.printer = printer;
        this.started = started;
    }

    /**
     * Polls the task until it is done, and returns its last view.
     *
     * @param subject what the task works on, for messages ({@code cluster shop})
     * @throws CliException when the task fails, naming the step and the reason
     */
    TaskView await(long taskId, String subject) {
        while (true) {
            TaskView task = session.redisCtl().get("/tasks/" + taskId, TaskView.class);
            TaskSnapshot snapshot = snapshot(task, Duration.between(started, Instant.now()));
            MigrationProgress.parse(snapshot.progress()).ifPresent(m -> lastMigration = m);
            showFinishedSteps(taskId, snapshot.steps(), task.timings());
            if (snapshot.failed()) {
                printer.finish(subject + ": " + snapshot.kind() + " failed");
                throw CliException.failed("the " + snapshot.kind() + " task " + taskId + " of " + subject
                        + " failed at step " + (snapshot.step() == null ? "(end)" : snapshot.step()) + ": "
                        + snapshot.error(), "`biu cluster show` shows where the cluster stands; once the cause is "
                        + "fixed, `biu cluster resume` goes on from that step");
            }
            if (snapshot.finished()) {
                return task;
            }
            printer.update(snapshot);
            if (snapshot.elapsed().compareTo(LIMIT) > 0) {
                printer.finish(subject + ": still running");
                throw CliException.failed("the " + snapshot.kind() + " task " + taskId + " of " + subject
                        + " still runs after " + LIMIT.toMinutes() + " min", "it goes on without this command: "
                        + "`biu cluster show` follows it");
            }
            session.pause();
        }
    }

    /** Shows the steps done since the last poll; a migration quicker than a poll is seen only in their reports. */
    private void showFinishedSteps(long taskId, int steps, List<StepTiming> timings) {
        if (taskId != shownTask) {
            shownTask = taskId;
            stepsShown = 0;
        }
        for (; stepsShown < timings.size(); stepsShown++) {
            StepTiming done = timings.get(stepsShown);
            MigrationProgress.parse(done.report()).ifPresent(m -> lastMigration = m);
            printer.stepDone(stepsShown + 1, steps, done.step(), done.tookMs(), done.report());
        }
    }

    /** The last migration figures any awaited task reported, or null if none migrated. */
    MigrationProgress lastMigration() {
        return lastMigration;
    }

    static TaskSnapshot snapshot(TaskView task, Duration elapsed) {
        return new TaskSnapshot(task.kind().id(), task.state().id(), task.step(), task.stepsDone(), task.steps(),
                task.progress(), task.error(), elapsed);
    }
}

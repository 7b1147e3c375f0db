package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import io.biu.cli.render.MigrationProgress;
import io.biu.cli.render.ProgressPrinter;
import io.biu.cli.render.TaskSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** Follows a redis-ctl task to its end, showing its steps and progress as it goes. */
final class TaskWatcher {

    /** Longer than any task of a lab-sized cluster; a task still running then is left to run. */
    static final Duration LIMIT = Duration.ofMinutes(30);

    private final Session session;
    private final ProgressPrinter printer;
    private final Instant started;
    private MigrationProgress lastMigration;
    private boolean seen;
    private String lastStep;
    private String lastProgress = "";

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
    JsonNode await(long taskId, String subject) {
        while (true) {
            JsonNode task = session.redisCtl().get("/tasks/" + taskId);
            TaskSnapshot snapshot = fresh(snapshot(task, Duration.between(started, Instant.now())));
            MigrationProgress.parse(snapshot.progress()).ifPresent(m -> lastMigration = m);
            if (snapshot.failed()) {
                printer.finish(subject + ": " + snapshot.kind() + " failed");
                throw CliException.failed("the " + snapshot.kind() + " task " + taskId + " of " + subject
                        + " failed at step " + (snapshot.step() == null ? "(end)" : snapshot.step()) + ": "
                        + snapshot.error(), "`biu cluster show` shows where the cluster stands; fix the cause and "
                        + "run the command again");
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

    /**
     * The snapshot without the previous step's report: a task keeps its last progress text until the next step
     * reports, which would show the old step's words under the new step's name.
     */
    private TaskSnapshot fresh(TaskSnapshot s) {
        String raw = s.progress();
        boolean stale = seen && !Objects.equals(lastStep, s.step()) && raw.equals(lastProgress);
        if (!stale) {
            seen = true;
            lastStep = s.step();
            lastProgress = raw;
        }
        return stale ? new TaskSnapshot(s.kind(), s.state(), s.step(), s.stepsDone(), s.steps(), "", s.error(),
                s.elapsed()) : s;
    }

    /** The last migration figures any awaited task reported, or null if none migrated. */
    MigrationProgress lastMigration() {
        return lastMigration;
    }

    static TaskSnapshot snapshot(JsonNode task, Duration elapsed) {
        JsonNode step = task.path("step");
        JsonNode error = task.path("error");
        return new TaskSnapshot(task.path("kind").asText(), task.path("state").asText(),
                step.isTextual() ? step.asText() : null, task.path("stepsDone").asInt(), task.path("steps").asInt(),
                task.path("progress").asText(""), error.isTextual() ? error.asText() : null, elapsed);
    }
}

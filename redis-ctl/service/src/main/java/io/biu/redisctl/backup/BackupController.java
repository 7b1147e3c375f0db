package io.biu.redisctl.backup;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.BackupSchedule;
import io.biu.redisctl.client.BackupView;
import io.biu.redisctl.client.ImportRequest;
import io.biu.redisctl.client.RestoreRequest;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.client.TaskView;
import io.biu.redisctl.task.Task;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.List;

/** Backups of clusters, restores from them, and imports: the backup part of {@code io.biu.redisctl.client}'s API. */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
final class BackupController {

    private final BackupService backups;

    BackupController(BackupService backups) {
        this.backups = backups;
    }

    /** Starts a backup; its task reports the progress ({@code GET /tasks/{taskId}}). */
    @Post("/clusters/{id}/backups")
    HttpResponse<BackupView> backup(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return HttpResponse.accepted().body(backups.view(backups.start(caller, id)));
    }

    @Get("/clusters/{id}/backups")
    List<BackupView> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        return backups.list(caller, id).stream().map(backups::view).toList();
    }

    @Get("/backups/{backup}")
    BackupView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long backup) {
        return backups.view(backups.get(caller, backup));
    }

    @Delete("/backups/{backup}")
    HttpResponse<Void> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long backup) {
        backups.delete(caller, backup);
        return HttpResponse.noContent();
    }

    @Post("/clusters/{id}/restore")
    HttpResponse<TaskView> restore(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @Body @Nullable RestoreRequest request) {
        return HttpResponse.accepted().body(taskView(backups.restore(caller, id, request)));
    }

    /** Imports from an RDB file of the tenant's import folder or a live Redis; the password is never answered. */
    @Post("/clusters/{id}/import")
    HttpResponse<TaskView> importInto(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @Body @Nullable ImportRequest request) {
        return HttpResponse.accepted().body(taskView(backups.importInto(caller, id, request)));
    }

    @Get("/clusters/{id}/backup-schedule")
    BackupSchedule schedule(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        Schedule s = backups.schedule(caller, id);
        if (s == null) {
            throw new CtlException(CtlError.NOT_FOUND, "cluster " + id + " is not backed up on a schedule: "
                    + "`biu cluster backup-schedule NAME --every 6h --keep 7` sets one");
        }
        return view(s);
    }

    /** Backs the cluster up every {@code every}, keeping the newest {@code keep} complete backups. */
    @Put("/clusters/{id}/backup-schedule")
    BackupSchedule schedule(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id,
            @Body @Nullable BackupSchedule request) {
        return view(backups.schedule(caller, id, request));
    }

    @Delete("/clusters/{id}/backup-schedule")
    HttpResponse<Void> unschedule(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        backups.unschedule(caller, id);
        return HttpResponse.noContent();
    }

    private static BackupSchedule view(Schedule s) {
        return new BackupSchedule(s.every(), s.keep(), s.nextAt());
    }

    private static TaskView taskView(Task t) {
        TaskStep step = t.currentStep();
        return new TaskView(t.id(), t.clusterId(), t.kind(), t.state(), step == null ? null : step.id(), t.step(),
                t.kind().steps().size(), t.progress(), t.error(), t.attempts(), t.createdAt(), t.finishedAt(),
                t.stepTimings());
    }
}

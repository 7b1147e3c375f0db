package io.biu.scheduler.app;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.placement.Sizes;
import io.biu.scheduler.volume.VolumeRemovals;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** Apps: a tenant's container templates. Secret files are accepted here and never returned. */
@Controller("/api/v1/apps")
@Tag(name = "apps")
final class AppController {

    private final AppService apps;
    private final VolumeRemovals volumes;

    AppController(AppService apps, VolumeRemovals volumes) {
        this.apps = apps;
        this.volumes = volumes;
    }

    private Schema.App view(App a) {
        return new Schema.App(a.id(), a.tenant(), a.name(), a.pod(), a.image(), a.command(), a.env(), a.cpuPieces(),
                a.memory(), Sizes.format(a.memory()), a.antiAffinity(), a.nodeSelector(), a.labels(), a.probe(),
                apps.files(a).stream().map(AppFile::path).toList(), a.volume(), a.ports(), a.stopGrace(),
                a.securityOrDefault(), a.createdAt(), a.managedBy());
    }

    @Post
    HttpResponse<Schema.App> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @Body Schema.AppSpec request) {
        return HttpResponse.created(view(apps.create(caller, request)));
    }

    @Get
    List<Schema.App> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return apps.list(caller).stream().map(this::view).toList();
    }

    @Get("/{name}")
    Schema.App get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        return view(apps.get(caller, name));
    }

    /**
     * Deletes an app that has no containers left (scale it to 0 first), and its volumes: 204 when they are gone,
     * 202 when some wait for their nodes, which remove them once back.
     */
    @Delete("/{name}")
    HttpResponse<Schema.VolumeRemoval> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String name) {
        VolumeRemovals.Outcome outcome = volumes.remove(apps.delete(caller, name));
        return outcome.removed() ? HttpResponse.noContent() : HttpResponse.accepted().body(outcome.view(name, null));
    }
}

package io.biu.scheduler.pod;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Locale;

/** Pods: operators create and grant them; tenants see the ones granted to them. */
@Controller("/api/v1/pods")
@Tag(name = "pods")
final class PodController {

    private final PodService pods;

    PodController(PodService pods) {
        this.pods = pods;
    }

    static Schema.Pod view(Pod p) {
        boolean macvlan = p.networkMode() == NetworkMode.MACVLAN;
        return new Schema.Pod(p.name(), p.shareBase(), p.base().granularity().toPlainString() + " cores",
                p.cpuBinding().name().toLowerCase(Locale.ROOT), p.cpuLimit().name().toLowerCase(Locale.ROOT),
                new Schema.Network(p.networkMode().name().toLowerCase(Locale.ROOT), p.subnet(), p.gateway(),
                        p.parent(), p.ipRange(), p.excluded(), macvlan ? p.networkName() : null),
                p.storageDriver(), p.tenants(), p.createdAt());
    }

    @Post
    HttpResponse<Schema.Pod> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @Body Schema.PodSpec request) {
        return HttpResponse.created(view(pods.create(caller, request)));
    }

    @Get
    List<Schema.Pod> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return pods.list(caller).stream().map(PodController::view).toList();
    }

    @Get("/{name}")
    Schema.Pod get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        return view(pods.get(caller, name));
    }

    @Delete("/{name}")
    HttpResponse<Void> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        pods.delete(caller, name);
        return HttpResponse.noContent();
    }

    @Put("/{name}/tenants")
    Schema.Pod grant(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name,
            @Body Schema.Grant request) {
        return view(pods.grant(caller, name, request.tenants()));
    }
}

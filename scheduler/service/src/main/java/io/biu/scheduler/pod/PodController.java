package io.biu.scheduler.pod;

import io.biu.scheduler.api.Caller;
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
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;

/** Pods: operators create and grant them; tenants see the ones granted to them. */
@Controller("/api/v1/pods")
@Tag(name = "pods")
final class PodController {

    private final PodService pods;

    PodController(PodService pods) {
        this.pods = pods;
    }

    @Serdeable
    record NetworkView(String mode, @Nullable String subnet, @Nullable String gateway, @Nullable String parent,
            @Nullable String range, List<String> excluded, @Nullable String dockerNetwork) {
    }

    @Serdeable
    record PodView(String name, int shareBase, String granularity, String cpuBinding, String cpuLimit,
            NetworkView network, String storageDriver, List<String> tenants, Instant createdAt) {
        static PodView of(Pod p) {
            boolean macvlan = p.networkMode() == NetworkMode.MACVLAN;
            return new PodView(p.name(), p.shareBase(), p.base().granularity().toPlainString() + " cores",
                    p.cpuBinding().name().toLowerCase(), p.cpuLimit().name().toLowerCase(),
                    new NetworkView(p.networkMode().name().toLowerCase(), p.subnet(), p.gateway(), p.parent(),
                            p.ipRange(), p.excluded(), macvlan ? p.networkName() : null),
                    p.storageDriver(), p.tenants(), p.createdAt());
        }
    }

    @Serdeable
    record GrantRequest(List<String> tenants) {
    }

    @Post
    HttpResponse<PodView> create(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @Body PodService.CreateRequest request) {
        return HttpResponse.created(PodView.of(pods.create(caller, request)));
    }

    @Get
    List<PodView> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return pods.list(caller).stream().map(PodView::of).toList();
    }

    @Get("/{name}")
    PodView get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        return PodView.of(pods.get(caller, name));
    }

    @Delete("/{name}")
    HttpResponse<Void> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name) {
        pods.delete(caller, name);
        return HttpResponse.noContent();
    }

    @Put("/{name}/tenants")
    PodView grant(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String name,
            @Body GrantRequest request) {
        return PodView.of(pods.grant(caller, name, request.tenants()));
    }
}

package io.biu.scheduler.container;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.volume.VolumeRemovals;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** Keyed data volumes: listing an app's, and removing a key's. */
@Controller("/api/v1")
@Tag(name = "volumes")
final class VolumeController {

    private final VolumeService volumes;

    VolumeController(VolumeService volumes) {
        this.volumes = volumes;
    }

    @Get("/apps/{app}/volumes")
    List<Schema.Volume> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String app) {
        return volumes.list(caller, app).stream().map(v -> new Schema.Volume(app, v.tenant(), v.key(), v.node(),
                v.engineName(), v.createdAt(), v.removalPending(), v.removalRequestedAt())).toList();
    }

    /** 200 when every volume of the key is gone; 202 when some wait for their nodes, which remove them once back. */
    @Delete("/apps/{app}/volumes/{key}")
    HttpResponse<Schema.VolumeRemoval> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @PathVariable String app, @PathVariable String key) {
        VolumeRemovals.Outcome outcome = volumes.delete(caller, app, key);
        return outcome.removed() ? HttpResponse.ok(outcome.view(app, key))
                : HttpResponse.accepted().body(outcome.view(app, key));
    }
}

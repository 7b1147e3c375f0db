package io.biu.scheduler.quarantine;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** Quarantined containers, for operators only: list them, or delete one (with its data) now. */
@Controller("/api/v1/quarantine")
@Tag(name = "quarantine")
final class QuarantineController {

    private final Quarantine quarantine;

    QuarantineController(Quarantine quarantine) {
        this.quarantine = quarantine;
    }

    @Get
    List<Schema.Quarantined> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return quarantine.list(caller).stream().map(q -> new Schema.Quarantined(q.id(), q.node(), q.engineId(),
                q.name(), q.labels(), q.firstSeen(), quarantine.removalDue(q))).toList();
    }

    @Delete("/{id}")
    HttpResponse<Void> delete(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        quarantine.delete(caller, id);
        return HttpResponse.noContent();
    }
}

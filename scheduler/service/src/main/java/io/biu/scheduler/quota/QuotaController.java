package io.biu.scheduler.quota;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Schema;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** Tenants' quotas: operators set and remove them; a tenant and the platform's services read one. */
@Controller("/api/v1")
@Tag(name = "quotas")
final class QuotaController {

    private final QuotaService quotas;

    QuotaController(QuotaService quotas) {
        this.quotas = quotas;
    }

    private Schema.Quota view(Quota q) {
        return QuotaService.view(q, quotas.usage(q.tenant()));
    }

    @Get("/quotas")
    List<Schema.Quota> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        return quotas.list(caller).stream().map(this::view).toList();
    }

    @Get("/tenants/{tenant}/quota")
    Schema.Quota get(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String tenant) {
        return view(quotas.get(caller, tenant));
    }

    @Put("/tenants/{tenant}/quota")
    Schema.Quota set(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String tenant,
            @Body Schema.QuotaSpec spec) {
        return view(quotas.set(caller, tenant, spec));
    }

    @Delete("/tenants/{tenant}/quota")
    HttpResponse<Void> clear(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable String tenant) {
        quotas.clear(caller, tenant);
        return HttpResponse.noContent();
    }
}

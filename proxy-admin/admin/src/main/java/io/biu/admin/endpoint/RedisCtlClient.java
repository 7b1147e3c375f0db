package io.biu.admin.endpoint;

import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** What proxy-admin asks redis-ctl, with its service token, acting for the tenant. */
@Client(id = "redis-ctl", path = "/api/v1")
public interface RedisCtlClient {

    /** How to reach a cluster: its instances and password; {@code null} if the tenant has no such cluster. */
    @Get("/clusters/{id}/connection")
    @Nullable
    Connection connection(@Header(Caller.TENANT_HEADER) String tenant, long id);

    @Serdeable
    record Connection(long id, String name, String pod, String state, List<String> seeds, String password) {
    }
}

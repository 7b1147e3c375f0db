package io.biu.redisctl.proxy;

import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Map;

/** What redis-ctl asks proxy-admin about a cluster's endpoint, with its service token, acting for the tenant. */
@Client(id = "proxy-admin", path = "/api/v1")
public interface ProxyAdminClient {

    @Get("/endpoints")
    List<Endpoint> endpoints(@Header(Caller.TENANT_HEADER) String tenant, @QueryValue long cluster);

    /** One endpoint with its proxies' stats. */
    @Get("/endpoints/{id}")
    @Nullable
    Endpoint endpoint(@Header(Caller.TENANT_HEADER) String tenant, long id);

    @Serdeable
    record Endpoint(long id, long cluster, List<String> addresses, String state, @Nullable List<Proxy> proxies) {
    }

    @Serdeable
    record Proxy(long container, String node, @Nullable String address, int port, boolean ready,
            @Nullable Map<String, String> stats) {
    }
}

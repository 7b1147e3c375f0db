package io.biu.admin.client;

import io.biu.scheduler.client.api.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.client.annotation.Client;
import java.util.List;

/** proxy-admin's API as Biu's other services call it, with their own service token, acting for the tenant. */
@Client(id = ProxyAdminClient.SERVICE_ID, path = "/api/v1")
public interface ProxyAdminClient {

    /** The service id under {@code micronaut.http.services} that holds proxy-admin's URL and timeouts. */
    String SERVICE_ID = "proxy-admin";

    /** The tenant's endpoints of one cluster. */
    @Get("/endpoints")
    List<EndpointView> endpoints(@Header(Caller.TENANT_HEADER) String tenant, @QueryValue long cluster);

    /**
     * The instances of the tenant's cluster changed: its endpoints' proxies are told at once. The proxies that could
     * not be told (empty: none).
     */
    @Post("/endpoints/members")
    List<String> membersChanged(@Header(Caller.TENANT_HEADER) String tenant, @QueryValue long cluster);

    /** The certificate of proxy-admin's authority, which signs every TLS endpoint's. */
    @Get("/ca")
    Authority authority();

    /** One endpoint with its proxies' stats; {@code null} if the tenant has no such endpoint. */
    @Get("/endpoints/{id}")
    @Nullable
    EndpointView endpoint(@Header(Caller.TENANT_HEADER) String tenant, long id);
}

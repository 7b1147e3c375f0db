package io.biu.admin.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * An endpoint: a tenant's proxies in front of one of its clusters, where clients connect (over TLS only if
 * {@code tls}), until when the previous password still works, and (only in the answer that issues or rotates it)
 * the password.
 */
@Serdeable
public record EndpointView(long id, long cluster, String clusterName, List<String> addresses, EndpointState state,
        boolean tls, @Nullable List<ProxyView> proxies, @Nullable Instant oldPasswordUntil, Instant createdAt,
        @Nullable String password) {

    public List<ProxyView> proxyList() {
        return proxies == null ? List.of() : proxies;
    }
}

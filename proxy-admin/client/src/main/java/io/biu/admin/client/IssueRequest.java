package io.biu.admin.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * An endpoint for a cluster the tenant owns ({@code POST /endpoints}), of {@code proxies} proxies (default 2); with
 * {@code tls}, clients reach it over TLS only, trusting proxy-admin's authority ({@code GET /ca}).
 */
@Serdeable
public record IssueRequest(@Nullable Long cluster, @Nullable Integer proxies, @Nullable Boolean tls) {

    public IssueRequest(@Nullable Long cluster, @Nullable Integer proxies) {
        this(cluster, proxies, null);
    }

    public boolean wantsTls() {
        return Boolean.TRUE.equals(tls);
    }
}

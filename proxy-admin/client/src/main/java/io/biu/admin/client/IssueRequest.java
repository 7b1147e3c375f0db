package io.biu.admin.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** An endpoint for a cluster the tenant owns ({@code POST /endpoints}), of {@code proxies} proxies (default 2). */
@Serdeable
public record IssueRequest(@Nullable Long cluster, @Nullable Integer proxies) {
}

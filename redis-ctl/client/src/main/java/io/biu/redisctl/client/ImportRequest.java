package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Bring data from outside into a cluster that holds no key, each key into the master owning its slot; exactly one
 * of {@code rdb} (the name of an RDB file in the tenant's import folder on redis-ctl's host) or {@code source} (a
 * live Redis as {@code host:port}, with {@code sourcePassword} if it asks for one: it is imported as a replica of it
 * would be, its snapshot then its writes until the import has caught up). Database 0 only.
 */
@Serdeable
public record ImportRequest(@Nullable String rdb, @Nullable String source, @Nullable String sourcePassword) {

    /** Never the password. */
    @Override
    public String toString() {
        return "ImportRequest[rdb=" + rdb + ", source=" + source + "]";
    }
}

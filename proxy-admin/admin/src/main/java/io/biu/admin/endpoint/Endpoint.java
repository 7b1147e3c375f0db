package io.biu.admin.endpoint;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A tenant's endpoint for one cluster: the proxies (containers of the scheduler app {@code app}) and the
 * hashes of the passwords they accept; {@code oldPasswordHash} still works until {@code oldPasswordUntil}.
 */
@MappedEntity("endpoint")
public record Endpoint(
        @Id @GeneratedValue @Nullable Long id,
        String tenant,
        long clusterId,
        String clusterName,
        String app,
        int proxies,
        String passwordHash,
        @Nullable String oldPasswordHash,
        @Nullable Instant oldPasswordUntil,
        String adminSecret,
        Instant createdAt,
        Instant updatedAt) {

    Endpoint withApp(String appName, Instant now) {
        return new Endpoint(id, tenant, clusterId, clusterName, appName, proxies, passwordHash, oldPasswordHash,
                oldPasswordUntil, adminSecret, createdAt, now);
    }

    /** A new password; the current one keeps working until {@code oldUntil}. */
    Endpoint rotated(String newHash, Instant oldUntil, Instant now) {
        return new Endpoint(id, tenant, clusterId, clusterName, app, proxies, newHash, passwordHash, oldUntil,
                adminSecret, createdAt, now);
    }

    /** The proxies' password list: {@code hash,oldhash@untilMillis}. */
    String passwordSpec(Instant now) {
        return oldPasswordHash == null || oldPasswordUntil == null || !oldPasswordUntil.isAfter(now) ? passwordHash
                : passwordHash + "," + oldPasswordHash + "@" + oldPasswordUntil.toEpochMilli();
    }
}

package io.biu.admin.endpoint;

import io.biu.kit.secret.SealedColumns;
import io.biu.kit.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import jakarta.inject.Singleton;
import java.time.Instant;

/**
 * A tenant's endpoint for one cluster: the proxies (containers of the scheduler app {@code app}) and the
 * hashes of the passwords they accept; {@code oldPasswordHash} still works until {@code oldPasswordUntil}. With
 * {@code tls}, clients reach the proxies over TLS only; {@code certificate} is the one proxy-admin last gave them
 * (PEM, public: the key stays with the proxies).
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
        @MappedProperty(converter = AdminSecret.class) String adminSecret,
        boolean tls,
        @Nullable String certificate,
        Instant createdAt,
        Instant updatedAt) {

    /** Seals proxy-admin's own password on the proxies under the service's key. */
    @Singleton
    public static final class AdminSecret extends SealedColumns.Text {
        AdminSecret(SecretBox box) {
            super(box, "endpoint.admin_secret");
        }
    }

    Endpoint withApp(String appName, Instant now) {
        return new Endpoint(id, tenant, clusterId, clusterName, appName, proxies, passwordHash, oldPasswordHash,
                oldPasswordUntil, adminSecret, tls, certificate, createdAt, now);
    }

    /** A new password; the current one keeps working until {@code oldUntil}. */
    Endpoint rotated(String newHash, Instant oldUntil, Instant now) {
        return new Endpoint(id, tenant, clusterId, clusterName, app, proxies, newHash, passwordHash, oldUntil,
                adminSecret, tls, certificate, createdAt, now);
    }

    /** The certificate its proxies serve from now on. */
    Endpoint certified(String newCertificate, Instant now) {
        return new Endpoint(id, tenant, clusterId, clusterName, app, proxies, passwordHash, oldPasswordHash,
                oldPasswordUntil, adminSecret, tls, newCertificate, createdAt, now);
    }

    /** Without its password hashes or proxy-admin's secret: an endpoint may be logged. */
    @Override
    public String toString() {
        return "Endpoint[" + id + " " + tenant + ", cluster " + clusterId + " (" + clusterName + "), app " + app + ", "
                + proxies + " proxies" + (tls ? ", TLS" : "") + "]";
    }

    /** The proxies' password list: {@code hash,oldhash@untilMillis}. */
    String passwordSpec(Instant now) {
        return oldPasswordHash == null || oldPasswordUntil == null || !oldPasswordUntil.isAfter(now) ? passwordHash
                : passwordHash + "," + oldPasswordHash + "@" + oldPasswordUntil.toEpochMilli();
    }
}

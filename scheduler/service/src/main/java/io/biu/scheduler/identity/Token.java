package io.biu.scheduler.identity;

import io.biu.scheduler.client.Scopes;
import io.biu.scheduler.client.TokenKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.Set;

/**
 * A token as stored: the secret itself never is, only its SHA-256. It works until revoked or expired. A service
 * token's {@code scopes} ({@link Scopes}, space-separated) say what it may do; other kinds have none.
 */
@MappedEntity("token")
public record Token(
        @Id @GeneratedValue @Nullable Long id,
        String name,
        TokenKind kind,
        @Nullable String tenant,
        String secretHash,
        String hint,
        Instant createdAt,
        @Nullable Instant revokedAt,
        @Nullable Instant expiresAt,
        @Nullable String scopes) {

    /** Whether it works at {@code now}: not revoked, not expired. */
    public boolean activeAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** Its scopes; one this version does not know (stored by a later one) is left out, never granted. */
    public Set<String> scopeSet() {
        return Scopes.split(scopes);
    }
}

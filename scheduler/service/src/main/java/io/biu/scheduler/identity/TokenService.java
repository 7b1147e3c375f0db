package io.biu.scheduler.identity;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Scopes;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Issues, checks and revokes tokens. A token is {@code biu_} and 43 random URL-safe characters; only its
 * SHA-256 is stored, so the secret is shown once, when it is issued.
 */
@Singleton
public class TokenService {

    /** Tenant names: they appear in labels, container names and URLs. */
    public static final Pattern TENANT = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private static final String PREFIX = "biu_";
    private final SecureRandom random = new SecureRandom();
    private final TokenRepository repository;
    private final Clock clock;

    TokenService(TokenRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** A token just issued: the stored record and the secret, which is never available again. */
    public record Issued(Token token, String secret) {
    }

    public Issued issue(TokenKind kind, String name, @Nullable String tenant) {
        return issue(kind, name, tenant, null, null);
    }

    /**
     * A token that stops working at {@code expiresAt} (null: when revoked). A service token must name its
     * {@code scopes}; the other kinds take none.
     */
    public Issued issue(TokenKind kind, String name, @Nullable String tenant, @Nullable Instant expiresAt,
            @Nullable List<String> scopes) {
        // as the database keeps it, so that what is answered now is what is read later
        expiresAt = expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS);
        if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "expiresAt " + expiresAt
                    + " has passed: give a time in the future, or none for a token that lasts until revoked");
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new SchedulerException(SchedulerError.INVALID_NAME, "a token needs a name of 1 to 100 characters");
        }
        if (kind == TokenKind.TENANT) {
            if (tenant == null || !TENANT.matcher(tenant).matches()) {
                throw new SchedulerException(SchedulerError.INVALID_NAME,
                        "a tenant token needs a tenant: lower-case letters, digits and '-', starting with a letter");
            }
        } else if (tenant != null) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST,
                    "only tenant tokens belong to a tenant; " + kind.name().toLowerCase() + " tokens act for one "
                            + "per call (" + Caller.TENANT_HEADER + ")");
        }
        Set<String> scoped = scopes(kind, scopes);
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Token token = repository.save(new Token(null, name.trim(), kind, tenant, hash(secret),
                secret.substring(0, PREFIX.length() + 4), clock.instant(), null, expiresAt,
                scoped.isEmpty() ? null : Scopes.join(scoped)));
        return new Issued(token, secret);
    }

    private static Set<String> scopes(TokenKind kind, @Nullable List<String> given) {
        boolean none = given == null || given.isEmpty();
        if (kind != TokenKind.SERVICE) {
            if (!none) {
                throw new SchedulerException(SchedulerError.INVALID_REQUEST, "only service tokens have scopes; a "
                        + kind.name().toLowerCase(Locale.ROOT) + " token's reach is set by its kind");
            }
            return Set.of();
        }
        if (none) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "a service token must name its scopes, "
                    + "from: " + String.join(", ", Scopes.ALL));
        }
        try {
            return Scopes.of(given);
        } catch (IllegalArgumentException e) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, e.getMessage());
        }
    }

    public List<Token> list() {
        return repository.findAllOrderById();
    }

    public Token revoke(long id) {
        Token token = repository.findById(id).orElseThrow(() -> SchedulerException.notFound("token", id));
        if (token.revokedAt() != null) {
            return token;
        }
        return repository.update(new Token(token.id(), token.name(), token.kind(), token.tenant(), token.secretHash(),
                token.hint(), token.createdAt(), clock.instant(), token.expiresAt(), token.scopes()));
    }

    public boolean anyActiveOperator() {
        Instant now = clock.instant();
        return repository.findAllOrderById().stream()
                .anyMatch(t -> t.kind() == TokenKind.OPERATOR && t.activeAt(now));
    }

    /** The active token behind a secret, if any. */
    public Optional<Token> lookup(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return repository.findBySecretHash(hash(secret)).filter(t -> t.activeAt(now));
    }

    /**
     * The caller a secret stands for, acting for {@code tenantHeader} where its kind allows; empty when the
     * secret is unknown or revoked.
     */
    public Optional<Caller> authenticate(String secret, @Nullable String tenantHeader) {
        return lookup(secret).map(token -> {
            String tenant = token.tenant();
            if (tenantHeader != null && !tenantHeader.isBlank()) {
                if (token.kind() == TokenKind.TENANT && !tenantHeader.equals(tenant)) {
                    throw new SchedulerException(SchedulerError.FORBIDDEN,
                            "a tenant token acts for its own tenant only, not for '" + tenantHeader + "'");
                }
                if (!TENANT.matcher(tenantHeader).matches()) {
                    throw new SchedulerException(SchedulerError.INVALID_NAME,
                            "'" + tenantHeader + "' in " + Caller.TENANT_HEADER + " is not a tenant name");
                }
                tenant = tenantHeader;
            }
            return new Caller(token.id(), token.name(), token.kind(), tenant, token.scopeSet());
        });
    }

    static String hash(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

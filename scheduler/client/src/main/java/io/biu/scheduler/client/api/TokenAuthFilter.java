package io.biu.scheduler.client.api;

import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.Scopes;
import io.biu.scheduler.client.TokenKind;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Every call under {@code /api} of a service that uses the scheduler's tokens needs a bearer token, which the
 * scheduler says (through its introspection endpoint, asked at most every {@link #CACHE_FOR} per token) whose
 * it is, and acts for a tenant: the APIs behind it are all some tenant's. Only a service token may name no
 * tenant; its {@link Caller} then has none, and an API that needs one refuses the call
 * ({@link Caller#actingTenant()}). The {@link Caller} is left in the request's {@link Caller#ATTRIBUTE};
 * refusals are {@code {error, message}} bodies. The scheduler, which issues the tokens, checks them itself (its own
 * filter, where {@code biu.scheduler.operator-token-file} is set); every other service checks them here, and a
 * service without a token of its own to ask the scheduler with refuses every call rather than letting one through.
 * A service token's call also needs the scope {@link Scopes#needed} names for this service
 * ({@code biu.api.service}), or it is refused 403 before a controller runs.
 */
@ServerFilter("/api/**")
@Requires(missingProperty = "biu.scheduler.operator-token-file")
final class TokenAuthFilter {

    /** How long an answer is trusted: a revoked token is refused within this, an expired one at once. */
    static final Duration CACHE_FOR = Duration.ofSeconds(1);
    private static final Pattern TENANT = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private final SchedulerClient scheduler;
    private final Clock clock;
    /** The service whose API this guards, as scopes name it. */
    private final String service;
    /** Introspection answers by the SHA-256 of the token, so no secret is kept in memory longer than needed. */
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(Schema.Introspection answer, Instant until) {
    }

    TokenAuthFilter(SchedulerClient scheduler, Clock clock, @Value("${biu.api.service}") String service) {
        if (!Scopes.SERVICES.contains(service)) {
            throw new IllegalArgumentException("biu.api.service '" + service + "' is none of " + Scopes.SERVICES);
        }
        this.scheduler = scheduler;
        this.clock = clock;
        this.service = service;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    @Nullable
    MutableHttpResponse<ApiError> authenticate(HttpRequest<?> request) {
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return refuse(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "send a token: " + HttpHeaders.AUTHORIZATION
                    + ": Bearer <token>");
        }
        String token = header.get().substring(7).trim();
        if (token.isEmpty()) {
            return refuse(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "the bearer token is empty");
        }
        Schema.Introspection who;
        try {
            who = introspect(token);
        } catch (HttpClientException e) {
            return refuse(HttpStatus.BAD_GATEWAY, "UNAVAILABLE", "cannot check the token: the scheduler did not "
                    + "answer (" + e.getMessage() + ")");
        }
        if (!who.active()) {
            return refuse(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "the token is unknown or revoked, or has expired");
        }
        TokenKind kind = who.kind();
        if (kind == null) {
            return refuse(HttpStatus.UNAUTHORIZED, "UNAUTHENTICATED", "the scheduler knows the token but not its kind");
        }
        String tenant = who.tenant();
        String asked = request.getHeaders().get(Caller.TENANT_HEADER);
        if (asked != null && !asked.isBlank()) {
            if (kind == TokenKind.TENANT && !asked.equals(tenant)) {
                return refuse(HttpStatus.FORBIDDEN, "FORBIDDEN", "a tenant token acts for its own tenant only, "
                        + "not for '" + asked + "'");
            }
            if (!TENANT.matcher(asked).matches()) {
                return refuse(HttpStatus.BAD_REQUEST, "INVALID", "'" + asked + "' in " + Caller.TENANT_HEADER
                        + " is not a tenant name");
            }
            tenant = asked;
        }
        if (tenant == null && kind != TokenKind.SERVICE) {
            return refuse(HttpStatus.BAD_REQUEST, "INVALID", "an " + kind.name().toLowerCase(Locale.ROOT)
                    + " token must name the tenant it acts for in the " + Caller.TENANT_HEADER + " header");
        }
        Set<String> scopes = Set.of();
        if (kind == TokenKind.SERVICE) {
            try {
                scopes = Scopes.of(who.scopes() == null ? List.of() : who.scopes());
            } catch (IllegalArgumentException e) {
                return refuse(HttpStatus.FORBIDDEN, "FORBIDDEN", "the token's scopes are not this service's to read: "
                        + e.getMessage());
            }
            String needed = Scopes.needed(service, request.getMethodName(), request.getPath());
            if (!scopes.contains(needed)) {
                return refuse(HttpStatus.FORBIDDEN, "FORBIDDEN", "the service token '" + who.name() + "' lacks the "
                        + "scope " + needed + " for " + request.getMethodName() + " " + shortened(request.getPath()));
            }
        }
        request.setAttribute(Caller.ATTRIBUTE, new Caller(who.name(), kind, tenant, scopes));
        return null;
    }

    private Schema.Introspection introspect(String token) {
        String key = sha256(token);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && cached.until().isAfter(now)) {
            return cached.answer();
        }
        Schema.Introspection answer = scheduler.introspect(new Schema.IntrospectRequest(token));
        if (cache.size() > 10_000) {
            cache.clear();
        }
        Instant until = now.plus(CACHE_FOR);
        if (answer.expiresAt() != null && answer.expiresAt().isBefore(until)) {
            until = answer.expiresAt();
        }
        cache.put(key, new Cached(answer, until));
        return answer;
    }

    private static String shortened(String path) {
        return path.length() > 100 ? path.substring(0, 100) + "..." : path;
    }

    private static MutableHttpResponse<ApiError> refuse(HttpStatus status, String error, String message) {
        return HttpResponse.<ApiError>status(status).body(new ApiError(error, message));
    }

    private static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}

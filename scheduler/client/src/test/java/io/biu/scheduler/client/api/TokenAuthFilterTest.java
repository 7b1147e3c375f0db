package io.biu.scheduler.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.Scopes;
import io.biu.scheduler.client.TokenKind;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenAuthFilterTest {

    private static final String TOKEN = "biu_secret";

    /** A filter whose scheduler says the token is {@code who}. */
    private static TokenAuthFilter filterFor(Schema.Introspection who) {
        SchedulerClient scheduler = (SchedulerClient) Proxy.newProxyInstance(SchedulerClient.class.getClassLoader(),
                new Class<?>[] {SchedulerClient.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("introspect")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return TOKEN.equals(((Schema.IntrospectRequest) args[0]).token()) ? who
                            : new Schema.Introspection(false, null, null, null);
                });
        return new TokenAuthFilter(scheduler, Clock.systemUTC(), Scopes.REDIS_CTL);
    }

    /** A service token with {@code scopes}. */
    private static Schema.Introspection service(String name, String... scopes) {
        return new Schema.Introspection(true, name, TokenKind.SERVICE, null, null, List.of(scopes));
    }

    private static MutableHttpRequest<?> call(String tenantHeader) {
        MutableHttpRequest<?> request = HttpRequest.GET("/api/v1/clusters").bearerAuth(TOKEN);
        return tenantHeader == null ? request : request.header(Caller.TENANT_HEADER, tenantHeader);
    }

    private static Caller callerOf(HttpRequest<?> request) {
        return request.getAttribute(Caller.ATTRIBUTE, Caller.class).orElseThrow();
    }

    @Test
    void serviceTokenWithoutTenantHeaderActsForAllTenants() {
        MutableHttpRequest<?> request = call(null);
        assertNull(filterFor(service("redis-monitor", "redis-ctl:read")).authenticate(request));
        Caller caller = callerOf(request);
        assertEquals(new Caller("redis-monitor", TokenKind.SERVICE, null, Set.of("redis-ctl:read")), caller);
        assertTrue(caller.actsForAllTenants());
    }

    @Test
    void serviceTokenWithTenantHeaderActsForThatTenant() {
        MutableHttpRequest<?> request = call("acme");
        assertNull(filterFor(service("proxy-admin", "redis-ctl:read", "redis-ctl:connection")).authenticate(request));
        assertEquals(new Caller("proxy-admin", TokenKind.SERVICE, "acme", Set.of("redis-ctl:read",
                "redis-ctl:connection")), callerOf(request));
    }

    @Test
    void aServiceTokenMakesOnlyTheCallsItsScopesName() {
        TokenAuthFilter reader = filterFor(service("reader", "redis-ctl:read", "proxy-admin:write"));
        assertNull(reader.authenticate(call(null)));
        assertRefused(reader, HttpRequest.POST("/api/v1/clusters", "{}"), "redis-ctl:write");
        assertRefused(reader, HttpRequest.DELETE("/api/v1/clusters/7"), "redis-ctl:write");
        // reading covers no password: the connection has a scope of its own
        assertRefused(reader, HttpRequest.GET("/api/v1/clusters/7/connection"), "redis-ctl:connection");

        TokenAuthFilter connector = filterFor(service("proxy-admin", "redis-ctl:connection"));
        assertNull(connector.authenticate(HttpRequest.GET("/api/v1/clusters/7/connection").bearerAuth(TOKEN)));
        assertRefused(connector, HttpRequest.GET("/api/v1/clusters"), "redis-ctl:read");

        TokenAuthFilter none = filterFor(new Schema.Introspection(true, "old", TokenKind.SERVICE, null));
        assertRefused(none, HttpRequest.GET("/api/v1/clusters"), "redis-ctl:read");

        TokenAuthFilter unknown = filterFor(service("odd", "redis-ctl:read", "redis-ctl:everything"));
        MutableHttpResponse<ApiError> refusal = unknown.authenticate(call(null));
        assertNotNull(refusal, "a scope this service cannot read is refused, not skipped");
        assertEquals(HttpStatus.FORBIDDEN, refusal.getStatus());
    }

    @Test
    void scopesDoNotApplyToTenantOrOperatorTokens() {
        MutableHttpRequest<?> post = HttpRequest.POST("/api/v1/clusters", "{}").bearerAuth(TOKEN);
        assertNull(filterFor(new Schema.Introspection(true, "ci", TokenKind.TENANT, "acme")).authenticate(post));
        assertEquals(Set.of(), callerOf(post).scopes());
    }

    private static void assertRefused(TokenAuthFilter filter, MutableHttpRequest<?> request, String scope) {
        MutableHttpResponse<ApiError> refusal = filter.authenticate(request.bearerAuth(TOKEN));
        assertNotNull(refusal, request.getMethodName() + " " + request.getPath() + " should need " + scope);
        assertEquals(HttpStatus.FORBIDDEN, refusal.getStatus());
        assertTrue(refusal.getBody().orElseThrow().message().contains(scope), refusal.getBody().orElseThrow().message());
        assertTrue(request.getAttribute(Caller.ATTRIBUTE).isEmpty());
    }

    @Test
    void tenantTokenWithoutTenantHeaderActsForItsOwnTenant() {
        MutableHttpRequest<?> request = call(null);
        assertNull(filterFor(new Schema.Introspection(true, "ci", TokenKind.TENANT, "acme")).authenticate(request));
        Caller caller = callerOf(request);
        assertEquals(new Caller("ci", TokenKind.TENANT, "acme"), caller);
        assertEquals("acme", caller.actingTenant());
    }

    @Test
    void tenantTokenNamingAnotherTenantIsForbidden() {
        MutableHttpRequest<?> request = call("other");
        MutableHttpResponse<ApiError> refusal = filterFor(new Schema.Introspection(true, "ci", TokenKind.TENANT, "acme"))
                .authenticate(request);
        assertNotNull(refusal);
        assertEquals(HttpStatus.FORBIDDEN, refusal.getStatus());
        assertTrue(request.getAttribute(Caller.ATTRIBUTE).isEmpty());
    }

    @Test
    void operatorTokenWithoutTenantHeaderIsRefused() {
        MutableHttpRequest<?> request = call(null);
        MutableHttpResponse<ApiError> refusal = filterFor(new Schema.Introspection(true, "admin", TokenKind.OPERATOR, null))
                .authenticate(request);
        assertNotNull(refusal);
        assertEquals(HttpStatus.BAD_REQUEST, refusal.getStatus());
        ApiError body = refusal.getBody().orElseThrow();
        assertEquals("INVALID", body.error());
        assertTrue(body.message().contains(Caller.TENANT_HEADER), body.message());
        assertTrue(request.getAttribute(Caller.ATTRIBUTE).isEmpty());
    }

    @Test
    void unknownTokenIsUnauthenticated() {
        MutableHttpRequest<?> request = HttpRequest.GET("/api/v1/clusters").bearerAuth("biu_other");
        MutableHttpResponse<ApiError> refusal = filterFor(new Schema.Introspection(true, "x", TokenKind.SERVICE, null))
                .authenticate(request);
        assertNotNull(refusal);
        assertEquals(HttpStatus.UNAUTHORIZED, refusal.getStatus());
    }

    @Test
    void anAnswerIsTrustedForASecondAtMostAndNeverPastTheTokensExpiry() {
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now =
                new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        java.time.Instant expiry = now.get().plusMillis(400);
        SchedulerClient scheduler = (SchedulerClient) Proxy.newProxyInstance(SchedulerClient.class.getClassLoader(),
                new Class<?>[] {SchedulerClient.class}, (proxy, method, args) -> {
                    asked.incrementAndGet();
                    boolean active = now.get().isBefore(expiry);
                    return new Schema.Introspection(active, "ci", TokenKind.TENANT, "acme", expiry, null);
                });
        Clock clock = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return now.get();
            }
        };
        TokenAuthFilter filter = new TokenAuthFilter(scheduler, clock, Scopes.REDIS_CTL);
        assertNull(filter.authenticate(call(null)));
        now.set(now.get().plusMillis(300));
        assertNull(filter.authenticate(call(null)), "still before its expiry: the cached answer");
        assertEquals(1, asked.get());
        now.set(now.get().plusMillis(200));
        MutableHttpResponse<ApiError> refusal = filter.authenticate(call(null));
        assertNotNull(refusal, "past its expiry the scheduler is asked again, and says no");
        assertEquals(HttpStatus.UNAUTHORIZED, refusal.getStatus());
        assertEquals(2, asked.get());
        assertTrue(TokenAuthFilter.CACHE_FOR.compareTo(java.time.Duration.ofSeconds(1)) <= 0,
                "a revoked token is refused within a second");
    }
}

package io.biu.scheduler.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.MutableHttpResponse;
import java.lang.reflect.Proxy;
import java.time.Clock;
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
        return new TokenAuthFilter(scheduler, Clock.systemUTC());
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
        assertNull(filterFor(new Schema.Introspection(true, "redis-monitor", TokenKind.SERVICE, null)).authenticate(request));
        Caller caller = callerOf(request);
        assertEquals(new Caller("redis-monitor", TokenKind.SERVICE, null), caller);
        assertTrue(caller.actsForAllTenants());
    }

    @Test
    void serviceTokenWithTenantHeaderActsForThatTenant() {
        MutableHttpRequest<?> request = call("acme");
        assertNull(filterFor(new Schema.Introspection(true, "proxy-admin", TokenKind.SERVICE, null)).authenticate(request));
        assertEquals(new Caller("proxy-admin", TokenKind.SERVICE, "acme"), callerOf(request));
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
                    return new Schema.Introspection(active, "ci", TokenKind.TENANT, "acme", expiry);
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
        TokenAuthFilter filter = new TokenAuthFilter(scheduler, clock);
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

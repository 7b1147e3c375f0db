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
}

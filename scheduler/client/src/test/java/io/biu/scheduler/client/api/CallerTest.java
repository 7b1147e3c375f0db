package io.biu.scheduler.client.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.exceptions.HttpStatusHandler;
import org.junit.jupiter.api.Test;

class CallerTest {

    @Test
    void onlyAServiceWithoutTenantActsForAllTenants() {
        assertTrue(new Caller("redis-monitor", "service", null).actsForAllTenants());
        assertFalse(new Caller("proxy-admin", "service", "acme").actsForAllTenants());
        assertFalse(new Caller("ci", "tenant", "acme").actsForAllTenants());
        assertFalse(new Caller("admin", "operator", "acme").actsForAllTenants());
    }

    @Test
    void actingTenantOfAServiceCallWithoutTenantIsABadRequestWithTheUsualErrorBody() {
        HttpStatusException e = assertThrows(HttpStatusException.class,
                () -> new Caller("redis-monitor", "service", null).actingTenant());
        // what the framework does with it when a controller lets it through: its handler and our error bodies
        HttpResponse<?> response = new HttpStatusHandler(new ErrorBodies()).handle(HttpRequest.GET("/api/v1/clusters"),
                e);
        assertEquals(HttpStatus.BAD_REQUEST, response.getStatus());
        assertEquals(new ApiError("INVALID_REQUEST", "a service token must name the tenant it acts for in the "
                + Caller.TENANT_HEADER + " header"), response.getBody().orElseThrow());
    }
}

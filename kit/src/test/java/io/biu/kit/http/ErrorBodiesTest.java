package io.biu.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.ApiError;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.http.server.exceptions.HttpStatusHandler;
import org.junit.jupiter.api.Test;

class ErrorBodiesTest {

    @Test
    void aStatusTheFrameworkAnswersGetsTheUsualErrorBody() {
        HttpStatusException e = assertThrows(HttpStatusException.class,
                () -> new Caller("redis-monitor", TokenKind.SERVICE, null).actingTenant());
        // what the framework does with it when a controller lets it through: its handler and our error bodies
        HttpResponse<?> response = new HttpStatusHandler(new ErrorBodies()).handle(HttpRequest.GET("/api/v1/clusters"),
                e);
        assertEquals(HttpStatus.BAD_REQUEST, response.getStatus());
        assertEquals(new ApiError("INVALID_REQUEST", "a service token must name the tenant it acts for in the "
                + Caller.TENANT_HEADER + " header"), response.getBody().orElseThrow());
    }

    @Test
    void aFrameworkMessageQuotingBulkyInputIsCutShort() {
        HttpStatusException e = new HttpStatusException(HttpStatus.BAD_REQUEST,
                "Failed to convert argument [spec] for value [" + "9".repeat(400_000) + "]");
        HttpResponse<?> response = new HttpStatusHandler(new ErrorBodies()).handle(HttpRequest.POST("/api/v1/apps",
                ""), e);
        ApiError body = (ApiError) response.getBody().orElseThrow();
        assertEquals("INVALID_REQUEST", body.error());
        assertTrue(body.message().startsWith("Failed to convert argument [spec] for value [999"), body.message());
        assertTrue(body.message().length() <= ErrorBodies.MAX_MESSAGE, body.message().length() + " characters");
    }
}

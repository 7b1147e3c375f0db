package io.biu.kit.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.biu.kit.error.ServiceException;
import io.biu.kit.error.TestCode;
import io.biu.scheduler.client.api.ApiError;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.Test;

class ServiceExceptionHandlerTest {

    private final ServiceExceptionHandler handler = new ServiceExceptionHandler();

    @Test
    void answersTheKindsStatusWithTheCodeAndMessage() {
        HttpResponse<ApiError> response = handler.handle(HttpRequest.POST("/api/v1/clusters/7/rebalance", ""),
                new ServiceException(TestCode.BUSY, "cluster 7 is busy with task 9 (join): wait for it to finish"));
        assertEquals(409, response.getStatus().getCode());
        assertEquals(new ApiError("BUSY", "cluster 7 is busy with task 9 (join): wait for it to finish"),
                response.body());
    }

    @Test
    void aDependencysFailureIsABadGateway() {
        HttpResponse<ApiError> response = handler.handle(HttpRequest.GET("/api/v1/pods/lab/capacity"),
                new ServiceException(TestCode.ENGINE_FAILED, "node2 refused", new RuntimeException("500")));
        assertEquals(502, response.getStatus().getCode());
        assertEquals("ENGINE_FAILED", response.body().error());
    }
}

package io.biu.redismonitor.api;

import io.biu.scheduler.client.api.ApiError;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where redis-monitor's errors become HTTP responses. */
@Produces
@Singleton
final class MonitorExceptionHandler implements ExceptionHandler<MonitorException, HttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(MonitorExceptionHandler.class);

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, MonitorException e) {
        if (e.error().status().getCode() >= 500) {
            LOG.warn("{} {} failed: {}", request.getMethod(), request.getPath(), e.getMessage(), e.getCause());
        }
        return HttpResponse.<ApiError>status(e.error().status()).body(new ApiError(e.error().name(), e.getMessage()));
    }
}

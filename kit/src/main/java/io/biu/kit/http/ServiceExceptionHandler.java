package io.biu.kit.http;

import io.biu.kit.error.ServiceException;
import io.biu.scheduler.client.api.ApiError;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a service's errors become HTTP responses: the status of the error's kind, and a body of its
 * code and message. A failure of something the service depends on is logged with its cause.
 */
@Produces
@Singleton
final class ServiceExceptionHandler implements ExceptionHandler<ServiceException, HttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceExceptionHandler.class);

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, ServiceException e) {
        HttpStatus status = HttpStatus.valueOf(e.kind().status());
        if (status.getCode() >= 500) {
            LOG.warn("{} {} failed: {}", request.getMethod(), request.getPath(), e.getMessage(), e.getCause());
        }
        return HttpResponse.<ApiError>status(status).body(new ApiError(e.code().name(), e.getMessage()));
    }
}

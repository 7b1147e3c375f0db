package io.biu.scheduler.api;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where the scheduler's error kinds become HTTP statuses. */
@Produces
@Singleton
@Requires(classes = {SchedulerException.class, ExceptionHandler.class})
final class SchedulerExceptionHandler implements ExceptionHandler<SchedulerException, HttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(SchedulerExceptionHandler.class);

    static HttpStatus status(SchedulerError.Kind kind) {
        return switch (kind) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case NO_CAPACITY -> HttpStatus.UNPROCESSABLE_ENTITY;
            case UNAVAILABLE -> HttpStatus.BAD_GATEWAY;
        };
    }

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, SchedulerException e) {
        HttpStatus status = status(e.error().kind());
        if (status.getCode() >= 500) {
            LOG.warn("{} {} failed: {}", request.getMethod(), request.getPath(), e.getMessage(), e.getCause());
        }
        return HttpResponse.<ApiError>status(status).body(new ApiError(e.error().name(), e.getMessage()));
    }
}

package io.biu.admin.api;

import io.biu.scheduler.client.api.ApiError;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where proxy-admin's errors become HTTP responses. */
@Produces
@Singleton
final class AdminExceptionHandler implements ExceptionHandler<AdminException, HttpResponse<ApiError>> {

    private static final Logger LOG = LoggerFactory.getLogger(AdminExceptionHandler.class);

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, AdminException e) {
        if (e.error().status().getCode() >= 500) {
            LOG.warn("{} {} failed: {}", request.getMethod(), request.getPath(), e.getMessage());
        }
        return HttpResponse.<ApiError>status(e.error().status()).body(new ApiError(e.error().name(), e.getMessage()));
    }
}

package io.biu.kit.http;

import io.biu.kit.text.Brief;
import io.biu.scheduler.client.api.ApiError;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Errors the framework itself answers (malformed JSON, a wrong type in a field, an unknown route, a body over the
 * size limit) get the same body as the service's own: {@code {"error": CODE, "message": ...}}. The framework's
 * messages may quote the input, so they are cut short.
 */
@Singleton
final class ErrorBodies implements ErrorResponseProcessor<ApiError> {

    /** Longer messages are cut to their start. */
    static final int MAX_MESSAGE = 300;

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String message = context.getErrors().isEmpty() ? status.getReason()
                : context.getErrors().stream().map(Error::getMessage).collect(Collectors.joining("; "));
        String code = status == HttpStatus.BAD_REQUEST ? "INVALID_REQUEST"
                : status.name().toUpperCase(Locale.ROOT);
        return response.body(new ApiError(code, Brief.of(message, MAX_MESSAGE)));
    }
}

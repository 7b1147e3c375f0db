package io.biu.scheduler.identity;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Scopes;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.ApiError;
import io.biu.scheduler.error.SchedulerError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import java.util.Optional;

/**
 * Every call under {@code /api} needs a bearer token. A valid one becomes the request's {@link Caller};
 * anything else is answered 401 with what is wrong, before a controller runs. A service token's call is
 * answered 403 unless the token holds the scope {@link Scopes#needed} names for it.
 */
@ServerFilter("/api/**")
final class AuthFilter {

    private final TokenService tokens;

    AuthFilter(TokenService tokens) {
        this.tokens = tokens;
    }

    @RequestFilter
    @Nullable
    MutableHttpResponse<ApiError> authenticate(HttpRequest<?> request) {
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized("send a token: " + HttpHeaders.AUTHORIZATION + ": Bearer <token>");
        }
        String tenantHeader = request.getHeaders().get(Caller.TENANT_HEADER);
        Optional<Caller> caller = tokens.authenticate(header.get().substring(7).trim(), tenantHeader);
        if (caller.isEmpty()) {
            return unauthorized("the token is unknown or revoked, or has expired");
        }
        if (caller.get().kind() == TokenKind.SERVICE) {
            String needed = Scopes.needed(Scopes.SCHEDULER, request.getMethodName(), request.getPath());
            if (!caller.get().scopes().contains(needed)) {
                return HttpResponse.<ApiError>status(HttpStatus.FORBIDDEN).body(new ApiError(
                        SchedulerError.FORBIDDEN.name(), "the service token '" + caller.get().tokenName()
                                + "' lacks the scope " + needed + " for this call"));
            }
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        return null;
    }

    private static MutableHttpResponse<ApiError> unauthorized(String message) {
        return HttpResponse.<ApiError>status(HttpStatus.UNAUTHORIZED)
                .body(new ApiError(SchedulerError.UNAUTHENTICATED.name(), message));
    }
}

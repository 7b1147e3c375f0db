package io.biu.scheduler.identity;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.api.Requests;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;

/** Tokens: operators issue, list and revoke them; any service may introspect one. */
@Controller("/api/v1/tokens")
@Tag(name = "tokens")
final class TokenController {

    private final TokenService tokens;

    TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    @Serdeable
    record IssueRequest(@Nullable String kind, String name, @Nullable String tenant) {
    }

    @Serdeable
    record TokenView(long id, String name, TokenKind kind, @Nullable String tenant, String hint, Instant createdAt,
            @Nullable Instant revokedAt) {
        static TokenView of(Token t) {
            return new TokenView(t.id(), t.name(), t.kind(), t.tenant(), t.hint(), t.createdAt(), t.revokedAt());
        }
    }

    /** The only response that ever carries a token's secret. */
    @Serdeable
    record IssuedView(TokenView token, String secret) {
    }

    @Serdeable
    record IntrospectRequest(String token) {
    }

    @Serdeable
    record Introspection(boolean active, @Nullable String name, @Nullable TokenKind kind, @Nullable String tenant) {
    }

    @Post
    HttpResponse<IssuedView> issue(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body IssueRequest request) {
        caller.requireOperator("issuing a token");
        TokenService.Issued issued = tokens.issue(
                Requests.oneOf(TokenKind.class, request.kind(), TokenKind.TENANT, "kind"), request.name(),
                request.tenant());
        return HttpResponse.created(new IssuedView(TokenView.of(issued.token()), issued.secret()));
    }

    @Get
    List<TokenView> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.requireOperator("listing tokens");
        return tokens.list().stream().map(TokenView::of).toList();
    }

    @Delete("/{id}")
    TokenView revoke(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        caller.requireOperator("revoking a token");
        return TokenView.of(tokens.revoke(id));
    }

    /** Whether a token is valid and what it stands for; for services that accept Biu tokens. */
    @Post("/introspect")
    Introspection introspect(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body IntrospectRequest request) {
        if (caller.kind() == TokenKind.TENANT) {
            throw new SchedulerException(SchedulerError.FORBIDDEN, "introspecting tokens needs a service or "
                    + "operator token");
        }
        return tokens.lookup(request.token())
                .map(t -> new Introspection(true, t.name(), t.kind(), t.tenant()))
                .orElse(new Introspection(false, null, null, null));
    }
}

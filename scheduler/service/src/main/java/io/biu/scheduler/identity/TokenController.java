package io.biu.scheduler.identity;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.api.Requests;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.Scopes;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.RequestAttribute;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;

/** Tokens: operators issue, list and revoke them; a service with the scope for it may introspect one. */
@Controller("/api/v1/tokens")
@Tag(name = "tokens")
final class TokenController {

    private final TokenService tokens;

    TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    static Schema.Token view(Token t) {
        return new Schema.Token(t.id(), t.name(), t.kind(), t.tenant(), t.hint(), t.createdAt(), t.revokedAt(),
                t.expiresAt(), List.copyOf(t.scopeSet()));
    }

    @Post
    HttpResponse<Schema.Issued> issue(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @Body Schema.TokenSpec request) {
        caller.requireOperator("issuing a token");
        TokenService.Issued issued = tokens.issue(
                Requests.oneOf(TokenKind.class, request.kind(), TokenKind.TENANT, "kind"), request.name(),
                request.tenant(), request.expiresAt(), request.scopes());
        return HttpResponse.created(new Schema.Issued(view(issued.token()), issued.secret()));
    }

    @Get
    List<Schema.Token> list(@RequestAttribute(Caller.ATTRIBUTE) Caller caller) {
        caller.requireOperator("listing tokens");
        return tokens.list().stream().map(TokenController::view).toList();
    }

    @Delete("/{id}")
    Schema.Token revoke(@RequestAttribute(Caller.ATTRIBUTE) Caller caller, @PathVariable long id) {
        caller.requireOperator("revoking a token");
        return view(tokens.revoke(id));
    }

    /** Whether a token is valid and what it stands for; for services that accept Biu tokens. */
    @Post("/introspect")
    Schema.Introspection introspect(@RequestAttribute(Caller.ATTRIBUTE) Caller caller,
            @Body Schema.IntrospectRequest request) {
        if (caller.kind() == TokenKind.TENANT) {
            throw new SchedulerException(SchedulerError.FORBIDDEN, "introspecting tokens needs a service or "
                    + "operator token");
        }
        if (caller.kind() == TokenKind.SERVICE) {
            caller.requireScope(Scopes.INTROSPECT);
        }
        return tokens.lookup(request.token())
                .map(t -> new Schema.Introspection(true, t.name(), t.kind(), t.tenant(), t.expiresAt(),
                        List.copyOf(t.scopeSet())))
                .orElse(new Schema.Introspection(false, null, null, null));
    }
}

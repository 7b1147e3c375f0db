package io.biu.scheduler.api;

import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.core.annotation.Nullable;
import java.util.Set;

/**
 * Who is calling: the token's kind and name, and the tenant it acts for. A tenant token always acts for
 * its own tenant; a service or operator token acts for the tenant named in the {@code X-Biu-Tenant}
 * header, or for no tenant when there is none. A service token's {@code scopes} say which calls it may make
 * ({@link io.biu.scheduler.client.Scopes}); the filter checks them.
 */
public record Caller(long tokenId, String tokenName, TokenKind kind, @Nullable String tenant, Set<String> scopes) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    public Caller(long tokenId, String tokenName, TokenKind kind, @Nullable String tenant) {
        this(tokenId, tokenName, kind, tenant, Set.of());
    }

    public static final String ATTRIBUTE = "biu.caller";
    public static final String TENANT_HEADER = "X-Biu-Tenant";

    public boolean operator() {
        return kind == TokenKind.OPERATOR;
    }

    /** Fails unless the caller holds an operator token. */
    public void requireOperator(String action) {
        if (!operator()) {
            throw new SchedulerException(SchedulerError.FORBIDDEN, action + " needs an operator token");
        }
    }

    /** Fails unless the caller is a service token holding {@code scope}. */
    public void requireScope(String scope) {
        if (kind != TokenKind.SERVICE || !scopes.contains(scope)) {
            throw new SchedulerException(SchedulerError.FORBIDDEN, "this call needs a service token with the scope "
                    + scope);
        }
    }

    /** The tenant the call acts for; fails when it acts for none. */
    public String requireTenant() {
        if (tenant == null) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST,
                    "this call acts for a tenant: name it in the " + TENANT_HEADER + " header");
        }
        return tenant;
    }

    /** Whether the caller may see what belongs to {@code owner}. */
    public boolean mayAccess(String owner) {
        return tenant == null ? operator() : tenant.equals(owner);
    }
}

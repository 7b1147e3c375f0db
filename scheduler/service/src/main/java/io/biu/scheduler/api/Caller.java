package io.biu.scheduler.api;

import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.core.annotation.Nullable;

/**
 * Who is calling: the token's kind and name, and the tenant it acts for. A tenant token always acts for
 * its own tenant; a service or operator token acts for the tenant named in the {@code X-Biu-Tenant}
 * header, or for no tenant when there is none.
 */
public record Caller(long tokenId, String tokenName, TokenKind kind, @Nullable String tenant) {

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

package io.biu.scheduler.client.api;

import io.biu.scheduler.client.TokenKind;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import java.util.Set;

/**
 * Who calls a service's API, as {@link TokenAuthFilter} found out from the scheduler: {@code kind} is what the
 * scheduler issued the token as, and {@code tenant} the tenant the call
 * acts for: a tenant token's own, or the one an operator or service token names in {@link #TENANT_HEADER}.
 * An operator token must name one; a service token need not, and its call then has no {@code tenant} and acts
 * for every tenant ({@link #actsForAllTenants()}) where an API allows that. A service token does only what its
 * {@code scopes} name ({@link io.biu.scheduler.client.Scopes}); the filter checks read and write, and an
 * operation with a scope of its own checks for it too.
 */
public record Caller(String name, TokenKind kind, @Nullable String tenant, Set<String> scopes) {

    public Caller {
        scopes = Set.copyOf(scopes);
    }

    /** A caller with no scopes: a tenant or operator, or a service token that may do nothing scoped. */
    public Caller(String name, TokenKind kind, @Nullable String tenant) {
        this(name, kind, tenant, Set.of());
    }

    /** The request attribute that holds the caller. */
    public static final String ATTRIBUTE = "biu.caller";
    public static final String TENANT_HEADER = "X-Biu-Tenant";

    /**
     * The tenant this call acts for.
     *
     * @throws HttpStatusException (400) for a service call that named no tenant
     */
    public String actingTenant() {
        if (tenant == null) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "a service token must name the tenant it acts for "
                    + "in the " + TENANT_HEADER + " header");
        }
        return tenant;
    }

    public boolean isService() {
        return kind == TokenKind.SERVICE;
    }

    /** A service call that named no tenant. */
    public boolean actsForAllTenants() {
        return isService() && tenant == null;
    }
}

package io.biu.scheduler.client.api;

/**
 * Who calls a service's API, as {@link TokenAuthFilter} found out from the scheduler: {@code kind} is
 * operator, tenant or service (as the scheduler issued the token), and {@code tenant} the tenant the call
 * acts for: a tenant token's own, or the one an operator or service token names in {@link #TENANT_HEADER}.
 */
public record Caller(String name, String kind, String tenant) {

    /** The request attribute that holds the caller. */
    public static final String ATTRIBUTE = "biu.caller";
    public static final String TENANT_HEADER = "X-Biu-Tenant";

    /** The tenant this call acts for. */
    public String actingTenant() {
        return tenant;
    }

    public boolean isService() {
        return "service".equals(kind);
    }
}

package io.biu.redisctl.api;

import io.micronaut.core.annotation.Nullable;

/**
 * Who calls: {@code kind} is operator, tenant or service (as the scheduler issued the token). A tenant token
 * acts for its own tenant; operator and service tokens name the tenant they act for in {@link #TENANT_HEADER}.
 */
public record Caller(String name, String kind, @Nullable String tenant) {

    public static final String ATTRIBUTE = "biu.caller";
    public static final String TENANT_HEADER = "X-Biu-Tenant";

    /** The tenant this call acts for; clusters are always some tenant's. */
    public String actingTenant() {
        if (tenant == null) {
            throw new CtlException(CtlError.INVALID, "an " + kind.toLowerCase() + " token must name the tenant it "
                    + "acts for in the " + TENANT_HEADER + " header");
        }
        return tenant;
    }
}

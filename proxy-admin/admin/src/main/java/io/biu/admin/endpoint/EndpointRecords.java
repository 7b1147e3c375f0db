package io.biu.admin.endpoint;

import io.biu.admin.api.AdminError;
import io.biu.admin.api.AdminException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

/**
 * Records a new endpoint, counting the tenant's endpoints again under its lock row when its quota has a limit, so
 * concurrent issues pass the limit one at a time.
 */
@Singleton
class EndpointRecords {

    private final EndpointRepository endpoints;
    private final TenantLockRepository locks;

    EndpointRecords(EndpointRepository endpoints, TenantLockRepository locks) {
        this.endpoints = endpoints;
        this.locks = locks;
    }

    /** The saved endpoint; refused when the tenant has {@code limit} endpoints already. */
    Endpoint record(Endpoint endpoint, @Nullable Integer limit) {
        if (limit == null) {
            return endpoints.save(endpoint);
        }
        if (!locks.existsById(endpoint.tenant())) {
            try {
                locks.save(new TenantLock(endpoint.tenant()));
            } catch (RuntimeException e) {
                if (!locks.existsById(endpoint.tenant())) {
                    throw e;
                }
            }
        }
        return countAndSave(endpoint, limit);
    }

    @Transactional
    Endpoint countAndSave(Endpoint endpoint, int limit) {
        locks.findByTenantForUpdate(endpoint.tenant());
        long held = endpoints.countByTenant(endpoint.tenant());
        if (held + 1 > limit) {
            throw tooMany(endpoint.tenant(), limit, held);
        }
        return endpoints.save(endpoint);
    }

    static AdminException tooMany(String tenant, int limit, long held) {
        return new AdminException(AdminError.QUOTA_EXCEEDED, "quota: tenant '" + tenant + "' may have " + limit
                + " endpoint" + (limit == 1 ? "" : "s") + " and has " + held + ": revoke one, or ask an operator to "
                + "raise the quota (biu quota set " + tenant + " --endpoints N)");
    }
}

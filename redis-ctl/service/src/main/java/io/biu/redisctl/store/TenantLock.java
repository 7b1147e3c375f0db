package io.biu.redisctl.store;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A tenant's lock row: counting its clusters against its quota happens under it. */
@MappedEntity("tenant_lock")
public record TenantLock(@Id String tenant) {
}

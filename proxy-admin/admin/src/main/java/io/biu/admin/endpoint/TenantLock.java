package io.biu.admin.endpoint;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

/** A tenant's lock row: counting its endpoints against its quota happens under it. */
@MappedEntity("tenant_lock")
record TenantLock(@Id String tenant) {
}

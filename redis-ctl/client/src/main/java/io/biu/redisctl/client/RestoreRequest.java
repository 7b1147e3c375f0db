package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * Load a complete backup ({@code backup}: its id, of any of the tenant's clusters) into a cluster that holds no key.
 * Keys land by slot, so the target's shape need not be the source's.
 */
@Serdeable
public record RestoreRequest(@Nullable Long backup) {
}

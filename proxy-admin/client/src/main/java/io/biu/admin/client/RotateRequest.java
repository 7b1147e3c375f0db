package io.biu.admin.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** A new password for an endpoint; the old one keeps working for {@code graceSeconds} (default: the service's). */
@Serdeable
public record RotateRequest(@Nullable Long graceSeconds) {
}

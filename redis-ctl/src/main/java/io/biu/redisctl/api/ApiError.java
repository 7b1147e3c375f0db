package io.biu.redisctl.api;

import io.micronaut.serde.annotation.Serdeable;

/** The body of every error response: a machine-readable code and a message that says what to fix. */
@Serdeable
public record ApiError(String error, String message) {
}

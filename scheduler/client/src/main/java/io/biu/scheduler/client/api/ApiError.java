package io.biu.scheduler.client.api;

import io.micronaut.serde.annotation.Serdeable;

/** The body of every error response of Biu's APIs: a machine-readable code and a message that says what to fix. */
@Serdeable
public record ApiError(String error, String message) {
}

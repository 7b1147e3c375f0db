package io.biu.redisctl.client;

import io.micronaut.serde.annotation.Serdeable;

/** A finished step of a task: how long its successful run took, and the last thing it reported ("" if nothing). */
@Serdeable
public record StepTiming(String step, long tookMs, String report) {
}

package io.biu.scheduler.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * How the agent decides a container is ready: a TCP connect to {@code tcp} on the container's address,
 * or {@code command} run inside it exiting 0.
 */
@Serdeable
public record Probe(@Nullable Integer tcp, @Nullable List<String> command, @Nullable Integer periodSeconds) {
}

package io.biu.admin.client;

import io.biu.scheduler.client.ContainerState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/**
 * A proxy of an endpoint: its container and that container's state, where clients reach it, whether
 * it is ready and, when one endpoint is asked for, what it counts ({@code connected_clients}, {@code latency_p99_us}...).
 */
@Serdeable
public record ProxyView(long container, String node, @Nullable String address, int port, ContainerState state,
        boolean ready,
        @Nullable Map<String, String> stats) {
}

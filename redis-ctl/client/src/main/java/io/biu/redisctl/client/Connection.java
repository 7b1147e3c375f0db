package io.biu.redisctl.client;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/** How a service in front of a cluster (the proxy) reaches it: its active instances and its password. */
@Serdeable
public record Connection(long id, String name, String pod, ClusterState state, List<String> seeds, String password) {
}

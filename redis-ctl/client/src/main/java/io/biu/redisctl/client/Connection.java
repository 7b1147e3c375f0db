package io.biu.redisctl.client;

import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * How a service in front of a cluster (the proxy) reaches it: its active instances ({@code seeds}) and its password,
 * and how long its instances may be silent before the cluster fails them over ({@code cluster-node-timeout}), which
 * bounds how long a reply may take. {@code members}: every instance that is, or is about to be, part of the cluster
 * (joining, active, draining, suspect), {@code host:port}: the only addresses such a service may connect to.
 */
@Serdeable
public record Connection(long id, String name, String pod, ClusterState state, List<String> seeds,
        List<String> members, String password, long nodeTimeoutMs) {
}

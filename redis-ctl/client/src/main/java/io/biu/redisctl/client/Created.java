package io.biu.redisctl.client;

import io.micronaut.serde.annotation.Serdeable;

/** A cluster just asked for, with its formation task: the only answer that carries the cluster's password. */
@Serdeable
public record Created(long id, long taskId, String password, ClusterView cluster) {
}

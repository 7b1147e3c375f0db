package io.biu.redisctl.store;

import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.Persistence;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.math.BigDecimal;
import java.time.Instant;

/** A tenant's Redis Cluster: its shape and the scheduler app whose containers are its instances. */
@MappedEntity("cluster")
public record Cluster(
        @Id @GeneratedValue @Nullable Long id,
        String tenant,
        String name,
        String pod,
        String app,
        int masters,
        int replicas,
        BigDecimal cpu,
        long memory,
        long maxmemory,
        Persistence persistence,
        String eviction,
        String password,
        ClusterState state,
        Instant createdAt,
        Instant updatedAt) {


    public Cluster withState(ClusterState next, Instant now) {
        return new Cluster(id, tenant, name, pod, app, masters, replicas, cpu, memory, maxmemory, persistence,
                eviction, password, next, createdAt, now);
    }

    public int size() {
        return masters * (1 + replicas);
    }
}

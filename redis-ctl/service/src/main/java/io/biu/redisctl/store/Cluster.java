package io.biu.redisctl.store;

import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.Persistence;
import io.biu.kit.secret.SealedColumns;
import io.biu.kit.secret.SecretBox;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import jakarta.inject.Singleton;
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
        @MappedProperty(converter = Password.class) String password,
        ClusterState state,
        Instant createdAt,
        Instant updatedAt) {


    public Cluster withState(ClusterState next, Instant now) {
        return new Cluster(id, tenant, name, pod, app, masters, replicas, cpu, memory, maxmemory, persistence,
                eviction, password, next, createdAt, now);
    }

    /** Seals the password under the service's key. */
    @Singleton
    public static final class Password extends SealedColumns.Text {
        Password(SecretBox box) {
            super(box, "cluster.password");
        }
    }

    public int size() {
        return masters * (1 + replicas);
    }
}

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
        @Nullable @MappedProperty(converter = BusIdentity.class) String busIdentity,
        ClusterState state,
        Instant createdAt,
        Instant updatedAt) {


    public Cluster withState(ClusterState next, Instant now) {
        return new Cluster(id, tenant, name, pod, app, masters, replicas, cpu, memory, maxmemory, persistence,
                eviction, password, busIdentity, next, createdAt, now);
    }

    /** Seals the password under the service's key. */
    @Singleton
    public static final class Password extends SealedColumns.Text {
        Password(SecretBox box) {
            super(box, "cluster.password");
        }
    }

    /**
     * The key and certificate its instances alone hold, PEM ({@link io.biu.kit.secret.TlsIdentity#pem()}): only a
     * holder can join its cluster bus or replicate from one of its instances. Sealed under the service's key, as the
     * password is.
     */
    @Singleton
    public static final class BusIdentity extends SealedColumns.Text {
        BusIdentity(SecretBox box) {
            super(box, "cluster.bus-identity");
        }
    }

    /** Whether its instances speak TLS to each other: every cluster does but those made before they could. */
    public boolean busTls() {
        return busIdentity != null;
    }

    /** Without its secrets: a cluster may be logged. */
    @Override
    public String toString() {
        return "Cluster[" + id + " " + tenant + "/" + name + ", " + masters + "x" + (1 + replicas) + ", " + state
                + ", bus " + (busTls() ? "TLS" : "plain") + "]";
    }

    public int size() {
        return masters * (1 + replicas);
    }
}

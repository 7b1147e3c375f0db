package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's cluster: its shape, its instances, its latest task, and (asked one by one) its endpoint. Never its
 * password: only {@link Created} and {@link Connection} carry that. {@code busTls}: its instances speak mutual TLS to
 * each other under an identity of the cluster's own, so no other process can join it; false only for clusters made
 * before that, whose bus anyone who reaches it can join.
 */
@Serdeable
public record ClusterView(long id, String name, String tenant, String pod, ClusterState state, int masters,
        int replicas, String cpu, long memory, long maxmemory, Persistence persistence, String eviction,
        @Nullable List<InstanceView> instances, @Nullable TaskView task, @Nullable ClusterEndpoint endpoint,
        Instant createdAt, boolean busTls) {

    public boolean ready() {
        return state == ClusterState.READY;
    }

    /** The scheduler's app whose containers are the cluster's instances. */
    public String app() {
        return Naming.app(name);
    }

    public List<InstanceView> members() {
        return instances == null ? List.of() : instances;
    }

    /** Active instances that are masters now. */
    public List<InstanceView> activeMasters() {
        return members().stream().filter(i -> i.active() && i.master()).toList();
    }

    /** Masters that serve slots or are about to: active or joining. */
    public List<InstanceView> servingMasters() {
        return members().stream().filter(i -> i.master() && (i.state() == InstanceState.ACTIVE
                || i.state() == InstanceState.JOINING)).toList();
    }

    /** Whether a task (of redis-ctl, for whatever reason) runs on the cluster. */
    public boolean busy() {
        return task != null && task.open();
    }

    /** The shard a new master takes: one past the highest any instance has. */
    public int nextShard() {
        return members().stream().mapToInt(InstanceView::shard).max().orElse(-1) + 1;
    }
}

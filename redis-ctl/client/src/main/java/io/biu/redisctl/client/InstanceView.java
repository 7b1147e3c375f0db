package io.biu.redisctl.client;

import io.micronaut.core.annotation.Creator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One Redis server of a cluster: the scheduler's container it runs in, its shard, its role (as the cluster has it
 * when the cluster is asked live, else as recorded), asked live, the slots it serves ({@code 0-5460} ranges), and the
 * key of the shard position's data volume its container mounts ({@link Naming#volumeKey}; null when the cluster keeps
 * no data).
 */
@Serdeable
public record InstanceView(long id, InstanceState state, Role role, String address, int port, long containerId,
        String container, String node, int shard, @Nullable String redisId, @Nullable List<String> slots,
        @Nullable String volumeKey) {

    @Creator
    public InstanceView {
    }

    /** An instance without a volume key: its cluster keeps no data. */
    public InstanceView(long id, InstanceState state, Role role, String address, int port, long containerId,
            String container, String node, int shard, @Nullable String redisId, @Nullable List<String> slots) {
        this(id, state, role, address, port, containerId, container, node, shard, redisId, slots, null);
    }

    public boolean active() {
        return state == InstanceState.ACTIVE;
    }

    public boolean master() {
        return role == Role.MASTER;
    }
}

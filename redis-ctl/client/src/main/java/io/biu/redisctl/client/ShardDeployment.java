package io.biu.redisctl.client;

import io.biu.scheduler.client.Schema;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * What growing a cluster by whole masters deploys at the scheduler, shard by shard: one master and the cluster's
 * replicas per master, all in the new shard's anti-affinity group. A cluster that keeps data ({@code keyed}) gives
 * each its shard position's volume key: the master position 0, the replicas 1 to {@code replicas} (see
 * {@link Naming#volumeKey}). The containers are then joined with {@code POST /clusters/{id}/members} once ready.
 */
public record ShardDeployment(int shard, String group, int replicas, boolean keyed) {

    /** The shards that {@code masters} more masters make, after the cluster's highest shard. */
    public static List<ShardDeployment> growth(ClusterView cluster, int masters) {
        List<ShardDeployment> shards = new ArrayList<>();
        int next = cluster.nextShard();
        for (int k = 0; k < masters; k++) {
            shards.add(new ShardDeployment(next + k, Naming.shardGroup(cluster.id(), next + k), cluster.replicas(),
                    cluster.persistence().keepsData()));
        }
        return shards;
    }

    /** The shard's master. */
    public Schema.Deploy master() {
        return new Schema.Deploy(1, null, List.of(group), Role.MASTER.id(), null, keys(0, 1));
    }

    /** The shard's replicas, if the cluster has any. */
    public Optional<Schema.Deploy> replicaSet() {
        return replicas == 0 ? Optional.empty()
                : Optional.of(new Schema.Deploy(replicas, null, List.of(group), Role.REPLICA.id(), null,
                        keys(1, replicas + 1)));
    }

    private @Nullable List<String> keys(int from, int to) {
        return keyed ? IntStream.range(from, to).mapToObj(p -> Naming.volumeKey(shard, p)).toList() : null;
    }
}

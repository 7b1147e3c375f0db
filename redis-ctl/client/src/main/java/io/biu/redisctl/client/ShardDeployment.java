package io.biu.redisctl.client;

import io.biu.scheduler.client.Schema;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What growing a cluster by whole masters deploys at the scheduler, shard by shard: one master and the cluster's
 * replicas per master, all in the new shard's anti-affinity group. A cluster that keeps data ({@code keyed}) gives
 * each its shard position's volume key: the master position 0, the replicas 1 to {@code replicas} (see
 * {@link Naming#volumeKey}). The containers are then joined with {@code POST /clusters/{id}/members} once ready, and
 * redis-ctl books each master in the shard its group names.
 */
public record ShardDeployment(int shard, String group, int replicas, boolean keyed) {

    /**
     * The shards that {@code masters} more masters make, after the cluster's highest shard, skipping every shard number
     * that any of the app's {@code volumes} (as the scheduler lists them) is left at. New shards start empty, and the
     * scheduler would mount a key's volume wherever it is left: one of a shard removed earlier whose volume stayed, or
     * an abandoned instance's, kept for an operator. Neither is mounted, nor removed: a shard number of their own is
     * cheaper than telling which of them may go.
     */
    public static List<ShardDeployment> growth(ClusterView cluster, int masters, List<Schema.Volume> volumes) {
        boolean keyed = cluster.persistence().keepsData();
        Set<Integer> left = volumes.stream().map(v -> Naming.volumeShard(v.key())).collect(Collectors.toSet());
        List<ShardDeployment> shards = new ArrayList<>();
        for (int shard = cluster.nextShard(); shards.size() < masters; shard++) {
            if (!keyed || !left.contains(shard)) {
                shards.add(new ShardDeployment(shard, Naming.shardGroup(cluster.id(), shard), cluster.replicas(),
                        keyed));
            }
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

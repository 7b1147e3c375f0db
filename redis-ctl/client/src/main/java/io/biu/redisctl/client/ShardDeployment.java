package io.biu.redisctl.client;

import io.biu.scheduler.client.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What growing a cluster by whole masters deploys at the scheduler, shard by shard: one master and the cluster's
 * replicas per master, all in the new shard's anti-affinity group. The containers are then joined with
 * {@code POST /clusters/{id}/members} once ready.
 */
public record ShardDeployment(int shard, String group, int replicas) {

    /** The shards that {@code masters} more masters make, after the cluster's highest shard. */
    public static List<ShardDeployment> growth(ClusterView cluster, int masters) {
        List<ShardDeployment> shards = new ArrayList<>();
        int next = cluster.nextShard();
        for (int k = 0; k < masters; k++) {
            shards.add(new ShardDeployment(next + k, Naming.shardGroup(cluster.id(), next + k), cluster.replicas()));
        }
        return shards;
    }

    /** The shard's master. */
    public Schema.Deploy master() {
        return new Schema.Deploy(1, null, List.of(group), Role.MASTER.id(), null);
    }

    /** The shard's replicas, if the cluster has any. */
    public Optional<Schema.Deploy> replicaSet() {
        return replicas == 0 ? Optional.empty()
                : Optional.of(new Schema.Deploy(replicas, null, List.of(group), Role.REPLICA.id(), null));
    }
}

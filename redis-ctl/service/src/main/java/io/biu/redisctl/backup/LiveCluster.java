package io.biu.redisctl.backup;

import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import jakarta.inject.Singleton;

/** A cluster's topology as the first active member that answers sees it. */
@Singleton
final class LiveCluster {

    private final InstanceRepository instances;
    private final RedisAdmin redis;

    LiveCluster(InstanceRepository instances, RedisAdmin redis) {
        this.instances = instances;
        this.redis = redis;
    }

    Topology topology(Cluster cluster) {
        RuntimeException last = null;
        for (Instance i : instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id())) {
            if (i.state() != InstanceState.ACTIVE) {
                continue;
            }
            try {
                return redis.on(i.address(), i.port(), cluster.password(), r -> RedisAdmin.topology(r, i.address()));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no instance of cluster " + cluster.name() + " answers"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    /** Keys held by each live master with slots, as {@code address=count}; empty when the cluster holds none. */
    String keysHeld(Cluster cluster) {
        StringBuilder held = new StringBuilder();
        for (Topology.Node m : topology(cluster).liveMasters()) {
            long keys = redis.on(m.host(), m.port(), cluster.password(), r -> r.dbsize());
            if (keys > 0) {
                held.append(held.isEmpty() ? "" : ", ").append(m.host()).append(':').append(m.port()).append(" holds ")
                        .append(keys);
            }
        }
        return held.toString();
    }
}

package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;

/** How a cluster's things are named at the scheduler, which every caller that deploys or finds them must follow. */
public final class Naming {

    private static final String APP_PREFIX = "redis-";

    private Naming() {
    }

    /** The scheduler's app whose containers are the instances of cluster {@code name}. */
    public static String app(String clusterName) {
        return APP_PREFIX + clusterName;
    }

    /**
     * The anti-affinity group of a shard: its master and replicas share it, so no two of them share a node and a lost
     * node takes at most one member of each shard.
     */
    public static String shardGroup(long clusterId, int shard) {
        return shardPrefix(clusterId) + shard;
    }

    /** The shard a container's group says it belongs to; -1 if the group is none of the cluster's shards. */
    public static int shardOf(long clusterId, @Nullable String group) {
        String prefix = shardPrefix(clusterId);
        if (group == null || !group.startsWith(prefix)) {
            return -1;
        }
        try {
            return Integer.parseInt(group.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String shardPrefix(long clusterId) {
        return APP_PREFIX + "c" + clusterId + "-s";
    }
}

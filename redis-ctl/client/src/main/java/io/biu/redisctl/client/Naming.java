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

    /**
     * The key of the data volume of a shard's position: {@code s<shard>-<position>}, a volume key as the scheduler's
     * {@code Schema.Deploy#VOLUME_KEY} has it. A shard with {@code r} replicas has positions 0 to {@code r}; the
     * volume belongs to the position, not to the container that mounts it, and outlives it. (Keys are per app, and a
     * cluster has an app of its own, so they need not name the cluster.)
     */
    public static String volumeKey(int shard, int position) {
        if (shard < 0 || position < 0) {
            throw new IllegalArgumentException("shard " + shard + " and position " + position + " must be >= 0");
        }
        return "s" + shard + "-" + position;
    }

    /** The shard a volume key ({@link #volumeKey}) belongs to; -1 if {@code key} is no shard position's key. */
    public static int volumeShard(@Nullable String key) {
        int dash = key == null ? -1 : key.indexOf('-');
        if (dash < 2 || key.charAt(0) != 's') {
            return -1;
        }
        try {
            int shard = Integer.parseInt(key.substring(1, dash));
            int position = Integer.parseInt(key.substring(dash + 1));
            return shard >= 0 && position >= 0 ? shard : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String shardPrefix(long clusterId) {
        return APP_PREFIX + "c" + clusterId + "-s";
    }
}

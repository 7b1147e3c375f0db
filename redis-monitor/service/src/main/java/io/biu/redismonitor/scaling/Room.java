package io.biu.redismonitor.scaling;

import java.util.List;

/** How many more masters a pod has room for, each with its replicas on nodes of their own (anti-affinity). */
final class Room {

    private Room() {
    }

    /**
     * The most shards of {@code 1 + replicas} containers that fit when node {@code i} has room for
     * {@code perNode.get(i)} more containers and no node holds two containers of one shard: {@code s} shards fit
     * exactly when {@code sum(min(room_i, s)) >= s * (1 + replicas)}.
     */
    static int masters(List<Integer> perNode, int replicas) {
        int size = 1 + replicas;
        int total = perNode.stream().mapToInt(Integer::intValue).sum();
        int fits = 0;
        for (int s = 1; s <= total / size; s++) {
            final int shards = s;
            long usable = perNode.stream().mapToLong(room -> Math.min(room, shards)).sum();
            if (usable < (long) s * size) {
                break;
            }
            fits = s;
        }
        return fits;
    }
}

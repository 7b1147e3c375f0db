package io.biu.redismonitor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoomTest {

    /**
     * The most shards of {@code size} containers on distinct nodes, by trying every choice of nodes for the next shard
     * and recursing on what room is left. Memoised on the sorted rooms, since which node is which does not matter.
     */
    private static int bruteForce(int[] rooms, int size, Map<String, Integer> memo) {
        int[] sorted = rooms.clone();
        Arrays.sort(sorted);
        String key = Arrays.toString(sorted);
        Integer known = memo.get(key);
        if (known != null) {
            return known;
        }
        int best = 0;
        int nodes = rooms.length;
        for (int subset = 1; subset < 1 << nodes; subset++) {
            if (Integer.bitCount(subset) != size || !fits(rooms, subset)) {
                continue;
            }
            int[] left = rooms.clone();
            for (int i = 0; i < nodes; i++) {
                if ((subset & 1 << i) != 0) {
                    left[i]--;
                }
            }
            best = Math.max(best, 1 + bruteForce(left, size, memo));
        }
        memo.put(key, best);
        return best;
    }

    private static boolean fits(int[] rooms, int subset) {
        for (int i = 0; i < rooms.length; i++) {
            if ((subset & 1 << i) != 0 && rooms[i] == 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void withoutReplicasEveryFreeSlotTakesAMaster() {
        assertEquals(7, Room.masters(List.of(5, 0, 2), 0));
        assertEquals(6, Room.masters(List.of(6), 0));
        assertEquals(0, Room.masters(List.of(0, 0), 0));
    }

    @Test
    void oneReplicaNeedsTwoNodesPerShard() {
        assertEquals(1, Room.masters(List.of(1, 1, 1), 1));
        assertEquals(3, Room.masters(List.of(2, 2, 2), 1));
        assertEquals(2, Room.masters(List.of(2, 2), 1));
        assertEquals(1, Room.masters(List.of(3, 1), 1));
        assertEquals(2, Room.masters(List.of(4, 1, 1), 1));
    }

    @Test
    void roomOnASingleNodeFitsNoShardWithReplicas() {
        assertEquals(0, Room.masters(List.of(5, 0, 0), 1));
        assertEquals(0, Room.masters(List.of(9), 1));
    }

    @Test
    void twoReplicasNeedThreeNodesPerShard() {
        assertEquals(1, Room.masters(List.of(1, 1, 1), 2));
        assertEquals(1, Room.masters(List.of(2, 2, 1), 2));
        assertEquals(2, Room.masters(List.of(2, 2, 2), 2));
        assertEquals(0, Room.masters(List.of(4, 4), 2));
    }

    @Test
    void noNodesHaveNoRoom() {
        assertEquals(0, Room.masters(List.of(), 0));
        assertEquals(0, Room.masters(List.of(), 1));
    }

    @Test
    void agreesWithTryingEveryAssignmentOnSmallPods() {
        Random random = new Random(42);
        for (int trial = 0; trial < 1_000; trial++) {
            int nodes = random.nextInt(6);
            int replicas = random.nextInt(4);
            List<Integer> perNode = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                perNode.add(random.nextInt(6));
            }
            int[] rooms = perNode.stream().mapToInt(Integer::intValue).toArray();
            int expected = bruteForce(rooms, 1 + replicas, new HashMap<>());
            assertEquals(expected, Room.masters(perNode, replicas), "rooms " + perNode + ", replicas " + replicas);
        }
    }
}

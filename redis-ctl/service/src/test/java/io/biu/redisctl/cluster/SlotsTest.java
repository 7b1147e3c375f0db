package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlotsTest {

    @Test
    void shardsGetEvenContiguousRangesThatCoverEverySlotOnce() {
        for (int masters = 1; masters <= ValidSpec.MAX_MASTERS; masters++) {
            int next = 0;
            for (int shard = 0; shard < masters; shard++) {
                int[] r = Formation.range(shard, masters);
                assertEquals(next, r[0], "shard " + shard + " of " + masters + " starts where the last ended");
                int size = r[1] - r[0] + 1;
                assertTrue(Math.abs(size - Formation.SLOTS / (double) masters) < 1, "even: " + size);
                next = r[1] + 1;
            }
            assertEquals(Formation.SLOTS, next, "all slots for " + masters + " masters");
        }
    }

    @Test
    void slotsAreShownAsRanges() {
        assertEquals(List.of("0-5460"), ClusterController.ranges(IntStream.rangeClosed(0, 5460).boxed().toList()));
        assertEquals(List.of("1-2", "5", "7-9"), ClusterController.ranges(List.of(9, 1, 2, 5, 7, 8)));
        assertEquals(List.of(), ClusterController.ranges(List.of()));
    }
}

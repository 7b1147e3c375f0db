package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Slots as the API shows them. */
class SlotsTest {

    @Test
    void slotsAreShownAsRanges() {
        assertEquals(List.of("0-5460"), ClusterController.ranges(IntStream.rangeClosed(0, 5460).boxed().toList()));
        assertEquals(List.of("1-2", "5", "7-9"), ClusterController.ranges(List.of(9, 1, 2, 5, 7, 8)));
        assertEquals(List.of(), ClusterController.ranges(List.of()));
    }
}

package io.biu.redisctl.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SlotPlanTest {

    private static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    /** Applies the moves and checks the result: every slot once, even shares, drained masters empty. */
    private static Map<String, Integer> apply(Map<String, List<Integer>> before, Set<String> draining,
            List<SlotPlan.Move> moves) {
        Map<Integer, String> owner = new HashMap<>();
        before.forEach((m, slots) -> slots.forEach(s -> owner.put(s, m)));
        Set<Integer> moved = new HashSet<>();
        for (SlotPlan.Move move : moves) {
            assertEquals(move.source(), owner.get(move.slot()), "a move starts at the slot's owner");
            assertTrue(moved.add(move.slot()), "slot " + move.slot() + " moves once");
            owner.put(move.slot(), move.target());
        }
        Map<String, Integer> counts = new HashMap<>();
        before.keySet().forEach(m -> counts.put(m, 0));
        owner.values().forEach(m -> counts.merge(m, 1, Integer::sum));
        draining.forEach(m -> assertEquals(0, counts.get(m), m + " is drained"));
        List<Integer> staying = before.keySet().stream().filter(m -> !draining.contains(m)).map(counts::get).toList();
        int min = staying.stream().min(Integer::compare).orElseThrow();
        int max = staying.stream().max(Integer::compare).orElseThrow();
        assertTrue(max - min <= 1, "even shares: " + counts);
        return counts;
    }

    @Test
    void aNewMasterGetsAQuarterFromThreeAndOnlySurplusMoves() {
        Map<String, List<Integer>> before = new LinkedHashMap<>();
        before.put("a", range(0, 5460));
        before.put("b", range(5461, 10922));
        before.put("c", range(10923, 16383));
        before.put("d", List.of());
        List<SlotPlan.Move> moves = SlotPlan.plan(before, Set.of());
        apply(before, Set.of(), moves);
        assertEquals(4096, moves.size(), "exactly the new master's share moves");
        assertTrue(moves.stream().allMatch(m -> m.target().equals("d")));
    }

    @Test
    void drainingEmptiesAMasterOntoTheOthersEvenly() {
        Map<String, List<Integer>> before = new LinkedHashMap<>();
        before.put("a", range(0, 4095));
        before.put("b", range(4096, 8191));
        before.put("c", range(8192, 12287));
        before.put("d", range(12288, 16383));
        List<SlotPlan.Move> moves = SlotPlan.plan(before, Set.of("b"));
        Map<String, Integer> after = apply(before, Set.of("b"), moves);
        assertEquals(4096, moves.size());
        assertEquals(16384, after.values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void aBalancedClusterNeedsNoMove() {
        Map<String, List<Integer>> before = Map.of("a", range(0, 8191), "b", range(8192, 16383));
        assertEquals(List.of(), SlotPlan.plan(before, Set.of()));
    }

    @Test
    void randomLayoutsEndEvenWithEachSlotMovedAtMostOnce() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int masters = 1 + random.nextInt(12);
            Map<String, List<Integer>> before = new LinkedHashMap<>();
            for (int m = 0; m < masters; m++) {
                before.put("m" + m, new ArrayList<>());
            }
            for (int slot = 0; slot < SlotPlan.SLOTS; slot++) {
                before.get("m" + (random.nextInt(4) == 0 ? 0 : random.nextInt(masters))).add(slot);
            }
            Set<String> draining = masters > 1 && random.nextBoolean() ? Set.of("m" + random.nextInt(masters))
                    : Set.of();
            apply(before, draining, SlotPlan.plan(before, draining));
        }
    }

    @Test
    void fromAnUnevenLayoutOnlyTheSurplusMoves() {
        Map<String, List<Integer>> before = new LinkedHashMap<>();
        before.put("a", range(0, 9999));
        before.put("b", range(10000, 16383));
        List<SlotPlan.Move> moves = SlotPlan.plan(before, Set.of());
        apply(before, Set.of(), moves);
        assertEquals(10000 - 8192, moves.size());
        assertEquals(range(8192, 9999), moves.stream().map(SlotPlan.Move::slot).toList(),
                "a gives up its highest slots, keeping one range");
    }

    @Test
    void drainingMovesTheDrainedMastersSlotsAndNothingElse() {
        Map<String, List<Integer>> before = new LinkedHashMap<>();
        before.put("a", range(0, 5460));
        before.put("b", range(5461, 10922));
        before.put("c", range(10923, 16383));
        List<SlotPlan.Move> moves = SlotPlan.plan(before, Set.of("c"));
        apply(before, Set.of("c"), moves);
        assertEquals(5461, moves.size());
        assertTrue(moves.stream().allMatch(m -> m.source().equals("c")));
    }

    @Test
    void aMoveGoesFromOneMasterToAnotherWithinTheSlotSpace() {
        assertThrows(IllegalArgumentException.class, () -> new SlotPlan.Move(1, "a", "a"));
        assertThrows(IllegalArgumentException.class, () -> new SlotPlan.Move(SlotPlan.SLOTS, "a", "b"));
    }

    @Test
    void movesBetweenTheSameTwoMastersGoInBatchesOfAtMostTheGivenSize() {
        List<SlotPlan.Move> moves = List.of(new SlotPlan.Move(1, "a", "c"), new SlotPlan.Move(2, "b", "c"),
                new SlotPlan.Move(3, "a", "c"), new SlotPlan.Move(4, "a", "c"));
        assertEquals(List.of(new SlotPlan.Batch("a", "c", List.of(1, 3)), new SlotPlan.Batch("a", "c", List.of(4)),
                new SlotPlan.Batch("b", "c", List.of(2))), SlotPlan.batches(moves, 2));
    }

    @Test
    void shardsGetEvenContiguousRangesThatCoverEverySlotOnce() {
        for (int masters = 1; masters <= 100; masters++) {
            int next = 0;
            for (int shard = 0; shard < masters; shard++) {
                int[] r = SlotPlan.range(shard, masters);
                assertEquals(next, r[0], "shard " + shard + " of " + masters + " starts where the last ended");
                int size = r[1] - r[0] + 1;
                assertTrue(Math.abs(size - SlotPlan.SLOTS / (double) masters) < 1, "even: " + size);
                next = r[1] + 1;
            }
            assertEquals(SlotPlan.SLOTS, next, "all slots for " + masters + " masters");
        }
    }

    @Test
    void drainingEveryMasterIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> SlotPlan.plan(Map.of("a", range(0, 16383)), Set.of("a")));
    }
}

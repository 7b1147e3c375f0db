package io.biu.scheduler.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BoundCpuTest {

    private static CpuRequest cores(String cores, ShareBase base) {
        return CpuRequest.of(new BigDecimal(cores), base);
    }

    /** A node whose cores 0..n-1 have the given free pieces. */
    private static BoundCpu node(ShareBase base, int... free) {
        BoundCpu node = BoundCpu.idle(base, free.length);
        for (int core = 0; core < free.length; core++) {
            int used = base.pieces() - free[core];
            if (used == base.pieces()) {
                node = node.reserve(new CpuPlan(used, List.of(core), CpuPlan.NO_CORE, 0));
            } else if (used > 0) {
                node = node.reserve(new CpuPlan(used, List.of(), core, used));
            }
        }
        return node;
    }

    @Test
    void capacityIsNotCoresDividedByTheRequest() {
        // 3 idle cores fit two containers of 1.5 (1+0.5 and 1+0.5 sharing the third core)...
        assertEquals(2, BoundCpu.idle(ShareBase.TENTHS, 3).capacity(cores("1.5", ShareBase.TENTHS)));
        // ...but 3 half-used cores (1.5 cores free in all) fit none: nothing is free for exclusive use.
        assertEquals(0, node(ShareBase.TENTHS, 5, 5, 5).capacity(cores("1.5", ShareBase.TENTHS)));
        // and 3 fragments of 0.5 fit there.
        assertEquals(3, node(ShareBase.TENTHS, 5, 5, 5).capacity(cores("0.5", ShareBase.TENTHS)));
    }

    @Test
    void convertsFullCoresIntoFragmentCoresOnlyAsFarAsItPays() {
        // 10 idle cores, 1.3 cores each: converting one core gives 3 fragment slots; 7 containers use
        // 7 exclusive + 3 converted cores = 10.
        assertEquals(7, BoundCpu.idle(ShareBase.TENTHS, 10).capacity(cores("1.3", ShareBase.TENTHS)));
        // whole cores: plain division
        assertEquals(3, BoundCpu.idle(ShareBase.TENTHS, 7).capacity(cores("2", ShareBase.TENTHS)));
        // fragments only: every core is a pool of slots
        assertEquals(24 * 3, BoundCpu.idle(ShareBase.HUNDREDTHS, 24).capacity(cores("0.3", ShareBase.HUNDREDTHS)));
    }

    @Test
    void planPinsExclusiveCoresAndPutsTheFragmentOnTheTightestCoreThatFits() {
        BoundCpu node = node(ShareBase.TENTHS, 10, 3, 6, 10, 10);
        CpuPlan plan = node.plan(cores("1.3", ShareBase.TENTHS)).orElseThrow();
        assertEquals(List.of(0), plan.exclusiveCores());
        assertEquals(1, plan.fragmentCore(), "3 free pieces are the tightest fit for a fragment of 3");
        assertEquals(3, plan.fragmentPieces());

        CpuPlan next = node.reserve(plan).plan(cores("1.5", ShareBase.TENTHS)).orElseThrow();
        assertEquals(2, next.fragmentCore(), "core 2's 6 pieces are the only partly used room for 5");
        assertEquals(List.of(3), next.exclusiveCores());
    }

    @Test
    void convertsTheHighestFullCoreWhenNoPartlyUsedCoreFits() {
        CpuPlan plan = BoundCpu.idle(ShareBase.TENTHS, 4).plan(cores("2.5", ShareBase.TENTHS)).orElseThrow();
        assertEquals(List.of(0, 1), plan.exclusiveCores());
        assertEquals(3, plan.fragmentCore());
        assertEquals(List.of(0, 1, 3), plan.cores());
    }

    @Test
    void operatorCapsLimitTheUsableCores() {
        BoundCpu node = BoundCpu.idle(ShareBase.TENTHS, List.of(2, 5, 7));
        assertEquals(3, node.capacity(cores("1", ShareBase.TENTHS)));
        assertEquals(List.of(2), node.plan(cores("1", ShareBase.TENTHS)).orElseThrow().exclusiveCores());
        assertThrows(IllegalArgumentException.class, () -> node.free(0));
    }

    @Test
    void reservingWhatDoesNotFitFailsAndReleaseUndoesReserve() {
        BoundCpu node = BoundCpu.idle(ShareBase.TENTHS, 2);
        CpuPlan plan = new CpuPlan(15, List.of(0), 1, 5);
        BoundCpu used = node.reserve(plan);
        assertEquals(5, used.freePieces());
        assertThrows(IllegalStateException.class, () -> used.reserve(new CpuPlan(10, List.of(0), CpuPlan.NO_CORE, 0)));
        assertThrows(IllegalStateException.class, () -> used.reserve(new CpuPlan(6, List.of(), 1, 6)));
        assertEquals(node, used.release(plan));
        assertThrows(IllegalStateException.class, () -> node.release(plan));
    }

    @ParameterizedTest
    @EnumSource(ShareBase.class)
    void capacityMatchesABruteForceSearchOnRandomNodes(ShareBase base) {
        Random random = new Random(42 + base.pieces());
        for (int trial = 0; trial < 400; trial++) {
            int[] free = randomFree(random, base, 1 + random.nextInt(5));
            CpuRequest request = randomRequest(random, base, free.length);
            int expected = bruteForce(free, base.pieces(), request.full(), request.fragment(), new HashMap<>());
            assertEquals(expected, node(base, free).capacity(request),
                    () -> Arrays.toString(free) + " for " + request);
        }
    }

    @ParameterizedTest
    @EnumSource(ShareBase.class)
    void plansTakenOneAfterAnotherReachTheCapacity(ShareBase base) {
        Random random = new Random(7 + base.pieces());
        for (int trial = 0; trial < 400; trial++) {
            int[] free = randomFree(random, base, 1 + random.nextInt(24));
            CpuRequest request = randomRequest(random, base, free.length);
            NodeCpu node = node(base, free);
            int capacity = node.capacity(request);
            int placed = 0;
            for (Optional<CpuPlan> plan = node.plan(request); plan.isPresent(); plan = node.plan(request)) {
                assertEquals(capacity - placed, node.capacity(request));
                node = node.reserve(plan.get());
                placed++;
            }
            assertEquals(capacity, placed, () -> Arrays.toString(free) + " for " + request);
        }
    }

    private static int[] randomFree(Random random, ShareBase base, int cores) {
        int[] free = new int[cores];
        for (int i = 0; i < cores; i++) {
            free[i] = switch (random.nextInt(3)) {
                case 0 -> base.pieces();
                case 1 -> 0;
                default -> random.nextInt(base.pieces() + 1);
            };
        }
        return free;
    }

    private static CpuRequest randomRequest(Random random, ShareBase base, int cores) {
        int full = random.nextInt(Math.max(1, cores / 2) + 1);
        int fragment = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(base.pieces() - 1);
        if (full == 0 && fragment == 0) {
            fragment = 1 + random.nextInt(base.pieces() - 1);
        }
        return new CpuRequest(base, full * base.pieces() + fragment);
    }

    /**
     * The most containers that fit, by trying every way to place each one (full cores are alike, so any
     * of them serves as exclusive; the fragment is tried on every distinct core state).
     */
    private static int bruteForce(int[] free, int base, int full, int frag, Map<String, Integer> memo) {
        int[] state = free.clone();
        Arrays.sort(state);
        String key = Arrays.toString(state);
        Integer known = memo.get(key);
        if (known != null) {
            return known;
        }
        int best = 0;
        List<Integer> fragmentChoices = new ArrayList<>();
        if (frag == 0) {
            fragmentChoices.add(-1);
        } else {
            for (int i = 0; i < state.length; i++) {
                if (state[i] >= frag && (i == 0 || state[i] != state[i - 1])) {
                    fragmentChoices.add(i);
                }
            }
        }
        for (int fragmentCore : fragmentChoices) {
            int[] next = state.clone();
            if (fragmentCore >= 0) {
                next[fragmentCore] -= frag;
            }
            int needed = full;
            for (int i = 0; i < next.length && needed > 0; i++) {
                if (i != fragmentCore && next[i] == base) {
                    next[i] = 0;
                    needed--;
                }
            }
            if (needed == 0) {
                best = Math.max(best, 1 + bruteForce(next, base, full, frag, memo));
            }
        }
        memo.put(key, best);
        return best;
    }
}

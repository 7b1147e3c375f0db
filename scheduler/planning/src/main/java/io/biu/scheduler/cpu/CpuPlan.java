package io.biu.scheduler.cpu;

import java.util.List;
import java.util.TreeSet;

/**
 * Where one container's CPU comes from. On a bound node: {@code exclusiveCores} to itself and, when the
 * request has a fragment, {@code fragmentPieces} on {@code fragmentCore}. On a pooled (public) node: no
 * cores at all, just {@code pieces} of the node's total.
 */
public record CpuPlan(int pieces, List<Integer> exclusiveCores, int fragmentCore, int fragmentPieces) {

    /** {@link #fragmentCore()} when there is none. */
    public static final int NO_CORE = -1;

    public CpuPlan {
        exclusiveCores = List.copyOf(exclusiveCores);
        if (pieces <= 0) {
            throw new IllegalArgumentException("a plan needs pieces > 0: " + pieces);
        }
        if ((fragmentCore == NO_CORE) != (fragmentPieces == 0)) {
            throw new IllegalArgumentException("a fragment needs both a core and pieces: core " + fragmentCore
                    + ", pieces " + fragmentPieces);
        }
        if (fragmentCore != NO_CORE && exclusiveCores.contains(fragmentCore)) {
            throw new IllegalArgumentException("core " + fragmentCore + " cannot be both exclusive and shared");
        }
        if (new TreeSet<>(exclusiveCores).size() != exclusiveCores.size()) {
            throw new IllegalArgumentException("exclusive cores repeat: " + exclusiveCores);
        }
    }

    /** A plan on a pooled node: pieces of the node's total, no cores. */
    public static CpuPlan unbound(int pieces) {
        return new CpuPlan(pieces, List.of(), NO_CORE, 0);
    }

    /** Whether the plan names cores (a bound pod) or not (a public pod). */
    public boolean bound() {
        return !exclusiveCores.isEmpty() || fragmentCore != NO_CORE;
    }

    /** Every core the container may run on, ascending: the exclusive ones and the fragment's. */
    public List<Integer> cores() {
        TreeSet<Integer> all = new TreeSet<>(exclusiveCores);
        if (fragmentCore != NO_CORE) {
            all.add(fragmentCore);
        }
        return List.copyOf(all);
    }
}

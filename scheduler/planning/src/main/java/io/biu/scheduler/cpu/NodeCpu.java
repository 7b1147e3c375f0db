package io.biu.scheduler.cpu;

import java.util.Optional;

/**
 * The CPU a node has left, as the scheduler sees it. Immutable: reserving returns a new value.
 *
 * <p>{@link BoundCpu} is a node of a bound pod: free pieces per core, and containers pinned to cores.
 * {@link PooledCpu} is a node of a public pod: one pool of pieces and no pinning.
 */
public sealed interface NodeCpu permits BoundCpu, PooledCpu {

    ShareBase base();

    /** How many containers of this request fit together on what is left. */
    int capacity(CpuRequest request);

    /**
     * The plan for one more container of this request, empty when none fits. Taking plans one at a time
     * this way reaches {@link #capacity(CpuRequest)}: the choice never spoils later ones.
     */
    Optional<CpuPlan> plan(CpuRequest request);

    /** What is left after a plan is reserved; fails if the plan does not fit. */
    NodeCpu reserve(CpuPlan plan);

    /** What is left after a reserved plan is released; fails if it was not reserved. */
    NodeCpu release(CpuPlan plan);

    int freePieces();

    int totalPieces();
}

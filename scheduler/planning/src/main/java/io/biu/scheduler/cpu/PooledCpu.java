package io.biu.scheduler.cpu;

import java.util.Objects;
import java.util.Optional;

/** A public pod's node: containers share all cores; only the sum of requests is scheduled. */
public record PooledCpu(ShareBase base, int totalPieces, int freePieces) implements NodeCpu {

    public PooledCpu {
        Objects.requireNonNull(base, "base");
        if (totalPieces < 0 || freePieces < 0 || freePieces > totalPieces) {
            throw new IllegalArgumentException("free " + freePieces + " of " + totalPieces + " pieces is impossible");
        }
    }

    /** An idle node of {@code cores} cores. */
    public static PooledCpu idle(ShareBase base, int cores) {
        return new PooledCpu(base, cores * base.pieces(), cores * base.pieces());
    }

    @Override
    public int capacity(CpuRequest request) {
        requireSameBase(base, request);
        return freePieces / request.pieces();
    }

    @Override
    public Optional<CpuPlan> plan(CpuRequest request) {
        return capacity(request) > 0 ? Optional.of(CpuPlan.unbound(request.pieces())) : Optional.empty();
    }

    @Override
    public PooledCpu reserve(CpuPlan plan) {
        requireUnbound(plan);
        if (plan.pieces() > freePieces) {
            throw new IllegalStateException(plan.pieces() + " pieces do not fit in " + freePieces + " free");
        }
        return new PooledCpu(base, totalPieces, freePieces - plan.pieces());
    }

    @Override
    public PooledCpu release(CpuPlan plan) {
        requireUnbound(plan);
        if (freePieces + plan.pieces() > totalPieces) {
            throw new IllegalStateException("releasing " + plan.pieces() + " pieces overflows " + totalPieces);
        }
        return new PooledCpu(base, totalPieces, freePieces + plan.pieces());
    }

    private static void requireUnbound(CpuPlan plan) {
        if (plan.bound()) {
            throw new IllegalArgumentException("a public node takes no pinned plan: " + plan);
        }
    }

    static void requireSameBase(ShareBase base, CpuRequest request) {
        if (request.base() != base) {
            throw new IllegalArgumentException("request in " + request.base() + " on a node in " + base);
        }
    }
}

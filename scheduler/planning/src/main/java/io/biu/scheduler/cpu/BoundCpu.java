package io.biu.scheduler.cpu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bound pod's node: free pieces per usable core. A core is <em>full</em> when nothing uses it, which is
 * the only state in which it can be given to a container exclusively; any core with enough free pieces can
 * host a fragment.
 *
 * <h2>Capacity (Eru's fragment search)</h2>
 * A request of {@code full} exclusive cores plus a fragment of {@code frag} pieces, on a node with
 * {@code F} full cores and partly used cores that hold {@code P} fragment slots in all
 * ({@code sum(free / frag)}): converting {@code k} full cores to fragment use gives {@code P + k*s} slots
 * ({@code s = base / frag}) and leaves {@code F - k} cores for exclusive use, so
 * <pre>capacity = max over k in [0, F] of min(P + k*s, (F - k) / full)</pre>
 * Whole-core requests ({@code frag = 0}) reduce to {@code F / full} and fragment-only requests
 * ({@code full = 0}) to {@code P + F*s}. This is not {@code free cores / request}: a node with 3 idle
 * cores fits 2 containers of 1.5 cores, but one with 3 cores each half used fits none.
 *
 * <h2>One plan at a time</h2>
 * {@link #plan(CpuRequest)} puts the fragment on the partly used core with the least room that still fits
 * (best fit), converts a full core only when no partly used core fits, and takes the lowest-numbered full
 * cores as exclusive. Converting only when forced uses the fewest conversions for every count, so plans
 * taken one after another always reach the capacity above.
 */
public final class BoundCpu implements NodeCpu {

    private final ShareBase base;
    private final int[] cores;
    private final int[] free;

    private BoundCpu(ShareBase base, int[] cores, int[] free) {
        this.base = base;
        this.cores = cores;
        this.free = free;
    }

    /** An idle node whose usable cores are {@code coreIds} (operator caps may leave some out). */
    public static BoundCpu idle(ShareBase base, List<Integer> coreIds) {
        Objects.requireNonNull(base, "base");
        int[] cores = coreIds.stream().mapToInt(Integer::intValue).sorted().toArray();
        for (int i = 0; i < cores.length; i++) {
            if (cores[i] < 0 || (i > 0 && cores[i] == cores[i - 1])) {
                throw new IllegalArgumentException("core ids must be distinct and not negative: " + coreIds);
            }
        }
        int[] free = new int[cores.length];
        Arrays.fill(free, base.pieces());
        return new BoundCpu(base, cores, free);
    }

    /** An idle node with cores {@code 0 .. count-1}. */
    public static BoundCpu idle(ShareBase base, int count) {
        List<Integer> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(i);
        }
        return idle(base, ids);
    }

    @Override
    public ShareBase base() {
        return base;
    }

    /** Free pieces of a usable core. */
    public int free(int coreId) {
        return free[indexOf(coreId)];
    }

    /** Usable core ids, ascending. */
    public List<Integer> cores() {
        return Arrays.stream(cores).boxed().toList();
    }

    @Override
    public int capacity(CpuRequest request) {
        PooledCpu.requireSameBase(base, request);
        int full = request.full();
        int frag = request.fragment();
        int fullCores = 0;
        int partialSlots = 0;
        for (int f : free) {
            if (f == base.pieces()) {
                fullCores++;
            } else if (frag > 0) {
                partialSlots += f / frag;
            }
        }
        if (frag == 0) {
            return fullCores / full;
        }
        int slotsPerCore = base.pieces() / frag;
        if (full == 0) {
            return partialSlots + fullCores * slotsPerCore;
        }
        int best = 0;
        for (int converted = 0; converted <= fullCores; converted++) {
            int count = Math.min(partialSlots + converted * slotsPerCore, (fullCores - converted) / full);
            best = Math.max(best, count);
        }
        return best;
    }

    @Override
    public Optional<CpuPlan> plan(CpuRequest request) {
        if (capacity(request) == 0) {
            return Optional.empty();
        }
        int frag = request.fragment();
        int fragmentIndex = -1;
        if (frag > 0) {
            fragmentIndex = bestPartialFit(frag);
            if (fragmentIndex < 0) {
                fragmentIndex = highestFullCore();
            }
        }
        List<Integer> exclusive = new ArrayList<>(request.full());
        for (int i = 0; i < cores.length && exclusive.size() < request.full(); i++) {
            if (i != fragmentIndex && free[i] == base.pieces()) {
                exclusive.add(cores[i]);
            }
        }
        int fragmentCore = fragmentIndex < 0 ? CpuPlan.NO_CORE : cores[fragmentIndex];
        return Optional.of(new CpuPlan(request.pieces(), exclusive, fragmentCore, frag));
    }

    /** The partly used core with the least free pieces that still hold {@code frag}; -1 if none. */
    private int bestPartialFit(int frag) {
        int best = -1;
        for (int i = 0; i < free.length; i++) {
            if (free[i] >= frag && free[i] < base.pieces() && (best < 0 || free[i] < free[best])) {
                best = i;
            }
        }
        return best;
    }

    private int highestFullCore() {
        for (int i = free.length - 1; i >= 0; i--) {
            if (free[i] == base.pieces()) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public BoundCpu reserve(CpuPlan plan) {
        if (!plan.bound()) {
            throw new IllegalArgumentException("a bound node needs a plan that names cores: " + plan);
        }
        int[] next = free.clone();
        for (int core : plan.exclusiveCores()) {
            int i = indexOf(core);
            if (next[i] != base.pieces()) {
                throw new IllegalStateException("core " + core + " is not free for exclusive use: " + next[i]
                        + " of " + base.pieces() + " pieces free");
            }
            next[i] = 0;
        }
        if (plan.fragmentCore() != CpuPlan.NO_CORE) {
            int i = indexOf(plan.fragmentCore());
            if (next[i] < plan.fragmentPieces()) {
                throw new IllegalStateException("core " + plan.fragmentCore() + " has " + next[i]
                        + " pieces free, the fragment needs " + plan.fragmentPieces());
            }
            next[i] -= plan.fragmentPieces();
        }
        return new BoundCpu(base, cores, next);
    }

    @Override
    public BoundCpu release(CpuPlan plan) {
        int[] next = free.clone();
        for (int core : plan.exclusiveCores()) {
            int i = indexOf(core);
            if (next[i] != 0) {
                throw new IllegalStateException("core " + core + " was not held exclusively");
            }
            next[i] = base.pieces();
        }
        if (plan.fragmentCore() != CpuPlan.NO_CORE) {
            int i = indexOf(plan.fragmentCore());
            if (next[i] + plan.fragmentPieces() > base.pieces()) {
                throw new IllegalStateException("releasing " + plan.fragmentPieces() + " pieces overflows core "
                        + plan.fragmentCore());
            }
            next[i] += plan.fragmentPieces();
        }
        return new BoundCpu(base, cores, next);
    }

    private int indexOf(int coreId) {
        int i = Arrays.binarySearch(cores, coreId);
        if (i < 0) {
            throw new IllegalArgumentException("core " + coreId + " is not usable on this node: " + cores());
        }
        return i;
    }

    @Override
    public int freePieces() {
        int sum = 0;
        for (int f : free) {
            sum += f;
        }
        return sum;
    }

    @Override
    public int totalPieces() {
        return cores.length * base.pieces();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundCpu other && base == other.base && Arrays.equals(cores, other.cores)
                && Arrays.equals(free, other.free);
    }

    @Override
    public int hashCode() {
        return Objects.hash(base, Arrays.hashCode(cores), Arrays.hashCode(free));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("BoundCpu[");
        for (int i = 0; i < cores.length; i++) {
            s.append(i == 0 ? "" : " ").append(cores[i]).append(':').append(free[i]);
        }
        return s.append(" of ").append(base.pieces()).append(']').toString();
    }
}

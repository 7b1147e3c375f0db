package io.biu.scheduler.placement;

import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to place: {@code count} containers of an app (per node for {@link Strategy#FILL} and
 * {@link Strategy#EACH_NODE}), each with the same CPU and memory, on nodes carrying every label of
 * {@code nodeSelector}.
 *
 * <p>{@code groups} are anti-affinity keys: containers sharing a key never share a node. Empty for none;
 * one key for every container; or, with spread and binpack, one key per container (a Redis shard's master
 * and replica share one, so they land on different nodes).
 *
 * <p>{@code homes} are soft preferences, spread and binpack only: empty for none, or one per container, the node
 * that already holds the container's data (null where there is none). A container goes to its home whenever that
 * node passes every hard constraint and has room, and is placed by the strategy otherwise.
 */
public record PlacementRequest(String app, int count, CpuRequest cpu, long memory, Map<String, String> nodeSelector,
        List<String> groups, Strategy strategy, List<String> homes) {

    public static final int MAX_COUNT = 10_000;
    /** Docker refuses a memory limit below 6 MiB. */
    public static final long MIN_MEMORY = 6 * Sizes.MIB;
    public static final long MAX_MEMORY = 4096 * Sizes.GIB;

    public PlacementRequest {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(strategy, "strategy");
        nodeSelector = Map.copyOf(nodeSelector);
        groups = List.copyOf(groups);
        homes = Collections.unmodifiableList(new ArrayList<>(homes)); // nulls allowed: no home
        if (count < 1 || count > MAX_COUNT) {
            throw SchedulerException.invalid(SchedulerError.INVALID_COUNT, "count must be between 1 and %d, not %d",
                    MAX_COUNT, count);
        }
        if (memory < MIN_MEMORY || memory > MAX_MEMORY) {
            throw SchedulerException.invalid(SchedulerError.INVALID_MEMORY,
                    "memory must be between %s and %s, not %s", Sizes.format(MIN_MEMORY), Sizes.format(MAX_MEMORY),
                    Sizes.format(memory));
        }
        boolean perContainer = groups.size() == count && count > 1;
        if (groups.size() > 1 && !perContainer) {
            throw SchedulerException.invalid(SchedulerError.INVALID_GROUPS,
                    "give no anti-affinity group, one for all containers, or one per container (%d), not %d", count,
                    groups.size());
        }
        if (perContainer && (strategy == Strategy.FILL || strategy == Strategy.EACH_NODE)) {
            throw SchedulerException.invalid(SchedulerError.INVALID_GROUPS,
                    "one group per container needs the spread or binpack strategy, not %s", strategy.label());
        }
        if (groups.stream().anyMatch(g -> g == null || g.isBlank())) {
            throw SchedulerException.invalid(SchedulerError.INVALID_GROUPS, "anti-affinity groups cannot be blank");
        }
        if (!homes.isEmpty() && homes.size() != count) {
            throw SchedulerException.invalid(SchedulerError.INVALID_VOLUME,
                    "give no home nodes or one per container (%d), not %d", count, homes.size());
        }
        if (!homes.isEmpty() && strategy != Strategy.SPREAD && strategy != Strategy.BINPACK) {
            throw SchedulerException.invalid(SchedulerError.INVALID_VOLUME,
                    "containers with volumes are placed one by one: use the spread or binpack strategy, not %s",
                    strategy.label());
        }
    }

    /** A request without home nodes. */
    public PlacementRequest(String app, int count, CpuRequest cpu, long memory, Map<String, String> nodeSelector,
            List<String> groups, Strategy strategy) {
        this(app, count, cpu, memory, nodeSelector, groups, strategy, List.of());
    }

    /** This request with a home node per container (null for none). */
    public PlacementRequest withHomes(List<String> value) {
        return new PlacementRequest(app, count, cpu, memory, nodeSelector, groups, strategy, value);
    }

    /** The node holding the i-th container's data, or null. */
    String homeOf(int i) {
        return homes.isEmpty() ? null : homes.get(i);
    }

    /** The anti-affinity group of the i-th container placed, or null. */
    String groupOf(int i) {
        if (groups.isEmpty()) {
            return null;
        }
        return groups.size() == 1 ? groups.get(0) : groups.get(i);
    }

    /** "0.5 cores and 256 MiB" */
    String describeResources() {
        return cpu + " and " + Sizes.format(memory);
    }
}

package io.biu.scheduler.cpu;

import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A plan in Docker's terms. Bound plans pin the container to its exclusive cores plus its fragment core
 * ({@code --cpuset-cpus}); every container gets {@code --cpu-shares} in proportion to its request (1024
 * per core, at least Docker's minimum of 2); a {@link CpuLimit#QUOTA} pod adds a CFS quota of exactly the
 * request ({@code --cpu-quota = cores x --cpu-period}). No quota otherwise, so containers may burst.
 *
 * @param cpusetCpus cores as Docker writes them ("0,3,5"), or null for a public pod (no pinning)
 * @param cpuQuota   microseconds per period, 0 for none
 */
public record DockerCpu(String cpusetCpus, int cpuShares, long cpuPeriod, long cpuQuota) {

    public static final int SHARES_PER_CORE = 1024;
    public static final int MIN_SHARES = 2;
    public static final long PERIOD_MICROS = 100_000;
    /** Docker refuses a quota below 1 ms. */
    public static final long MIN_QUOTA_MICROS = 1_000;

    public static DockerCpu of(CpuPlan plan, ShareBase base, CpuLimit limit) {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(limit, "limit");
        String cpuset = plan.bound()
                ? plan.cores().stream().map(String::valueOf).collect(Collectors.joining(","))
                : null;
        long shares = Math.max(MIN_SHARES, (long) plan.pieces() * SHARES_PER_CORE / base.pieces());
        if (limit == CpuLimit.QUOTA) {
            long quota = Math.max(MIN_QUOTA_MICROS, (long) plan.pieces() * PERIOD_MICROS / base.pieces());
            return new DockerCpu(cpuset, (int) shares, PERIOD_MICROS, quota);
        }
        return new DockerCpu(cpuset, (int) shares, 0, 0);
    }
}

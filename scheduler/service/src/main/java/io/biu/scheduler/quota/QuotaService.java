package io.biu.scheduler.quota;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.api.Requests;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.placement.Sizes;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Tenants' quotas: what each may hold at most. The scheduler checks cores, memory and containers when it reserves
 * ({@link #admit}, in the reservation's transaction with the quota's row locked) and says how many more containers
 * of a size a quota admits ({@link #room}); redis-ctl and proxy-admin read the clusters and endpoints limits and
 * check them when they create one. What a tenant holds is counted from its containers' rows, never kept as a total.
 */
@Singleton
public class QuotaService {

    /** Limits above these are refused as mistakes. */
    static final BigDecimal MAX_CORES = BigDecimal.valueOf(999_999);
    static final int MAX_COUNT = 1_000_000;

    private final QuotaRepository quotas;
    private final Held held;
    private final Clock clock;

    QuotaService(QuotaRepository quotas, Held held, Clock clock) {
        this.quotas = quotas;
        this.held = held;
        this.clock = clock;
    }

    /** What a tenant holds now: the cores, memory and number of its live and dead containers. */
    public record Usage(BigDecimal cores, long memory, int containers) {
    }

    /** Counts what a tenant holds, from the containers' rows (the containers' package knows them). */
    public interface Held {
        Usage of(String tenant);
    }

    /** How many more containers of a size the quota admits ({@code count}), and why not more; none: no quota. */
    public record Room(int count, String reason) {
    }

    public Optional<Quota> find(String tenant) {
        return quotas.findById(tenant);
    }

    public Quota get(Caller caller, String tenant) {
        Requests.name(tenant, "tenant");
        if (!caller.operator() && caller.kind() != TokenKind.SERVICE
                && !tenant.equals(caller.tenant())) {
            throw SchedulerException.notFound("quota of tenant", tenant);
        }
        return quotas.findById(tenant).orElse(new Quota(tenant, null, null, null, null, null, clock.instant()));
    }

    public List<Quota> list(Caller caller) {
        caller.requireOperator("listing every tenant's quota");
        return quotas.findAllOrderByTenant();
    }

    public Quota set(Caller caller, String tenant, Schema.QuotaSpec spec) {
        caller.requireOperator("setting a tenant's quota");
        Requests.name(tenant, "tenant");
        BigDecimal cores = spec.cores();
        if (cores != null && (cores.signum() < 0 || cores.compareTo(MAX_CORES) > 0 || cores.scale() > 6)) {
            throw new SchedulerException(SchedulerError.INVALID_CPU, "cores must be 0 to " + MAX_CORES
                    + " with at most 6 decimals, or absent for no limit");
        }
        Long memory = spec.memory() == null ? null : Sizes.parse(spec.memory());
        Quota quota = new Quota(tenant, cores == null ? null : cores.stripTrailingZeros(), memory,
                count(spec.containers(), "containers"), count(spec.clusters(), "clusters"),
                count(spec.endpoints(), "endpoints"), clock.instant());
        if (quotas.existsById(tenant)) {
            return quotas.update(quota);
        }
        try {
            return quotas.save(quota);
        } catch (RuntimeException e) {
            if (!quotas.existsById(tenant)) {
                throw e;
            }
            // another operator set it first: this one is the later word
            return quotas.update(quota);
        }
    }

    public void clear(Caller caller, String tenant) {
        caller.requireOperator("removing a tenant's quota");
        quotas.deleteById(Requests.name(tenant, "tenant"));
    }

    private static Integer count(@Nullable Integer value, String what) {
        if (value != null && (value < 0 || value > MAX_COUNT)) {
            throw new SchedulerException(SchedulerError.INVALID_COUNT, what + " must be 0 to " + MAX_COUNT
                    + ", or absent for no limit");
        }
        return value;
    }

    public Usage usage(String tenant) {
        return held.of(tenant);
    }

    /**
     * Refuses {@code count} more containers of {@code cores} and {@code memory} each when the tenant would then hold
     * more than its quota. Called in the reservation's transaction, after the pod's row is locked: the quota's row is
     * locked here, so reservations of one tenant are counted one after another whatever their pods.
     *
     * @throws SchedulerException {@link SchedulerError#QUOTA_EXCEEDED} naming the limit and the numbers
     */
    public void admit(String tenant, int count, BigDecimal cores, long memory) {
        Optional<Quota> quota = quotas.findByTenantForUpdate(tenant);
        if (quota.isEmpty()) {
            return;
        }
        List<String> over = over(quota.get(), usage(tenant), count, cores, memory);
        if (!over.isEmpty()) {
            throw new SchedulerException(SchedulerError.QUOTA_EXCEEDED, "quota: tenant '" + tenant + "' asks for "
                    + count + " container" + (count == 1 ? "" : "s") + " of " + cores.stripTrailingZeros()
                    .toPlainString() + " cores and " + Sizes.format(memory) + "; " + String.join("; ", over)
                    + ": an operator can raise the quota (biu quota set " + tenant + ")");
        }
    }

    /** How many more containers of a size the tenant's quota admits, or empty when it has none. */
    public Optional<Room> room(String tenant, BigDecimal cores, long memory) {
        Optional<Quota> quota = quotas.findById(tenant);
        if (quota.isEmpty()) {
            return Optional.empty();
        }
        Quota q = quota.get();
        Usage used = usage(tenant);
        long room = Long.MAX_VALUE;
        if (q.containers() != null) {
            room = Math.min(room, Math.max(0, q.containers() - used.containers()));
        }
        if (q.cores() != null && cores.signum() > 0) {
            room = Math.min(room, Math.max(0, q.cores().subtract(used.cores())
                    .divide(cores, 0, RoundingMode.FLOOR).longValue()));
        }
        if (q.memory() != null && memory > 0) {
            room = Math.min(room, Math.max(0, (q.memory() - used.memory()) / memory));
        }
        if (room == Long.MAX_VALUE) {
            return Optional.empty();
        }
        int admitted = (int) Math.min(room, MAX_COUNT);
        List<String> over = over(q, used, admitted + 1, cores, memory);
        return Optional.of(new Room(admitted, "quota: tenant '" + tenant + "' has room for " + admitted
                + " more of " + cores.stripTrailingZeros().toPlainString() + " cores and " + Sizes.format(memory)
                + (over.isEmpty() ? "" : "; " + String.join("; ", over))));
    }

    /** Each limit {@code count} more containers would pass, with the numbers ({@link Schema.Quota#over}). */
    private static List<String> over(Quota q, Usage used, int count, BigDecimal cores, long memory) {
        return view(q, used).over(count, cores, memory);
    }

    public static Schema.Quota view(Quota q, Usage used) {
        return new Schema.Quota(q.tenant(), q.cores(), q.memory(), q.containers(), q.clusters(), q.endpoints(),
                new Schema.QuotaUsage(used.cores(), used.memory(), used.containers()));
    }
}

package io.biu.kit.lease;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases in the service's database: of several replicas of a service, one at a time runs each single-runner job (a
 * relay, a reconciler, a round of decisions). The holder renews its lease on every run; when it dies, the lease
 * lapses and another replica takes over. Expiry is computed and compared on the {@link DatabaseClock}, so replicas
 * whose own clocks disagree still agree on who holds a lease. Every change of holder is logged.
 *
 * <p>A lease's row must exist (the service's migrations insert one per job, holder empty, expired).
 */
@Singleton
public class Leases {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    /** This process, as lease tables know it. */
    private final String me = UUID.randomUUID().toString();
    private final LeaseRepository leases;
    private final DatabaseClock clock;
    /** The leases this process held at its last look, so that gaining and losing one is logged once. */
    private final Set<String> held = ConcurrentHashMap.newKeySet();

    Leases(LeaseRepository leases, DatabaseClock clock) {
        this.leases = leases;
        this.clock = clock;
    }

    /** This process, as lease rows name their holder. */
    public String holder() {
        return me;
    }

    /** Takes or renews the lease for {@code ttl}; false when another live process holds it. */
    @Transactional
    public boolean hold(String name, Duration ttl) {
        Lease lease = leases.findByNameForUpdate(name)
                .orElseThrow(() -> new IllegalStateException("no lease row named " + name));
        Instant now = clock.now();
        boolean mine = lease.holder().equals(me);
        if (!mine && lease.expiresAt().isAfter(now)) {
            if (held.remove(name)) {
                LOG.warn("lost the {} lease to {} (this process, {}, stalled past its expiry)", name,
                        lease.holder(), me);
            }
            return false;
        }
        if (!mine) {
            LOG.info("this process ({}) now holds the {} lease{}", me, name, lease.holder().isEmpty() ? ""
                    : ", which " + lease.holder() + " let lapse at " + lease.expiresAt());
        }
        held.add(name);
        leases.update(new Lease(name, me, now.plus(ttl)));
        return true;
    }
}

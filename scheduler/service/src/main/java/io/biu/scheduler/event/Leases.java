package io.biu.scheduler.event;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases in the database: of several scheduler processes, one at a time runs each single-runner job. A
 * holder renews its lease on every run; when it dies the lease lapses and another process takes over.
 */
@Singleton
public class Leases {

    private static final Logger LOG = LoggerFactory.getLogger(Leases.class);

    /** This process, as lease tables know it. */
    private final String me = UUID.randomUUID().toString();
    private final LeaseRepository leases;
    private final Clock clock;

    Leases(LeaseRepository leases, Clock clock) {
        this.leases = leases;
        this.clock = clock;
    }

    public String holder() {
        return me;
    }

    /** Takes or renews the lease for {@code ttl}; false when another live process holds it. */
    @Transactional
    public boolean hold(String name, Duration ttl) {
        Lease lease = leases.findByNameForUpdate(name)
                .orElseThrow(() -> new IllegalStateException("no lease row named " + name));
        Instant now = clock.instant();
        boolean mine = lease.holder().equals(me);
        if (!mine && lease.expiresAt().isAfter(now)) {
            return false;
        }
        if (!mine) {
            LOG.info("this process ({}) now holds the {} lease", me, name);
        }
        leases.update(new Lease(name, me, now.plus(ttl)));
        return true;
    }
}

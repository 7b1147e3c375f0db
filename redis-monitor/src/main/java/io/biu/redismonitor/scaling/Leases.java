package io.biu.redismonitor.scaling;

import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Leases in the database: of several monitor processes, one at a time decides and acts. */
@Singleton
public class Leases {

    private final String me = UUID.randomUUID().toString();
    private final LeaseRepository leases;
    private final Clock clock;

    Leases(LeaseRepository leases, Clock clock) {
        this.leases = leases;
        this.clock = clock;
    }

    /** Takes or renews the lease for {@code ttl}; false when another live process holds it. */
    @Transactional
    public boolean hold(String name, Duration ttl) {
        Lease lease = leases.findByNameForUpdate(name)
                .orElseThrow(() -> new IllegalStateException("no lease row named " + name));
        Instant now = clock.instant();
        if (!lease.holder().equals(me) && lease.expiresAt().isAfter(now)) {
            return false;
        }
        leases.update(new Lease(name, me, now.plus(ttl)));
        return true;
    }
}

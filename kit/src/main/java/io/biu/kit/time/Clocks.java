package io.biu.kit.time;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The wall clock every service reads time from, as a bean so that tests can give time-dependent code another one.
 * (Leases do not trust it: see {@link io.biu.kit.lease.DatabaseClock}.)
 */
@Factory
final class Clocks {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}

package io.biu.redismonitor;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The wall clock, as a bean so that time-dependent code can be given another one in tests. */
@Factory
final class Clocks {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}

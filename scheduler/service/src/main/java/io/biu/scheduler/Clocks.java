package io.biu.scheduler;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock every service reads time from, so that tests can set it. */
@Factory
final class Clocks {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}

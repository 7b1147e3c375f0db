package io.biu.kit.lease;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases on an H2 database, as two replicas of a service see them, on a process whose clock runs an hour fast. */
class LeasesTest {

    private ApplicationContext context;
    private Leases first;
    private Leases second;

    /** The wall clock of a replica that runs an hour ahead: no lease may be decided by it. */
    @Factory
    @Requires(property = "test.skewed-clock", value = "true")
    static class SkewedClock {
        @Singleton
        @Replaces(Clock.class)
        Clock clock() {
            return Clock.offset(Clock.systemUTC(), Duration.ofHours(1));
        }
    }

    @BeforeEach
    void start() {
        context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:leases-" + System.nanoTime()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "datasources.default.driver-class-name", "org.h2.Driver",
                "datasources.default.username", "sa",
                "datasources.default.password", "",
                "flyway.datasources.default.enabled", "true",
                "test.skewed-clock", "true"));
        first = context.getBean(Leases.class);
        second = context.createBean(Leases.class);
    }

    @AfterEach
    void stop() {
        context.close();
    }

    @Test
    void oneHolderAtATimeWhileTheLeaseRuns() {
        assertTrue(first.hold("relay", Duration.ofMinutes(1)));
        assertFalse(second.hold("relay", Duration.ofMinutes(1)), "the first holder's lease runs for a minute");
        assertTrue(first.hold("relay", Duration.ofMinutes(1)), "its holder renews it");
    }

    @Test
    void aLapsedLeaseIsTakenOverAndItsOldHolderLosesIt() {
        assertTrue(first.hold("relay", Duration.ZERO));
        assertTrue(second.hold("relay", Duration.ofMinutes(1)), "a lease that lapsed goes to whoever asks");
        assertFalse(first.hold("relay", Duration.ofMinutes(1)), "its old holder must not think it still holds it");
    }

    @Test
    void aLeaseIsTimedByTheDatabasesClockNotByThisProcesssClock() {
        // another replica holds the lease for ten more minutes by the database's clock; this process's clock runs
        // an hour fast, so by it the lease would have lapsed
        context.getBean(DatabaseClock.class).now();
        TransactionOperations<?> transactions = context.getBean(TransactionOperations.class);
        transactions.executeWrite(status -> context.getBean(JdbcOperations.class).prepareStatement("UPDATE lease "
                + "SET holder = 'other replica', expires_at = DATEADD('MINUTE', 10, CURRENT_TIMESTAMP) "
                + "WHERE name = 'relay'", statement -> statement.executeUpdate()));
        assertTrue(context.getBean(Clock.class).instant().isAfter(java.time.Instant.now().plus(Duration.ofMinutes(50))));
        assertFalse(first.hold("relay", Duration.ofMinutes(1)));
    }

    @Test
    void aLeaseWithoutItsRowIsAMistakeSaidSo() {
        assertThrows(IllegalStateException.class, () -> first.hold("nonesuch", Duration.ofSeconds(1)));
    }
}

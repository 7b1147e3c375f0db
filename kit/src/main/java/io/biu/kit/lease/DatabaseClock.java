package io.biu.kit.lease;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The database's clock. Every replica of a service agrees on it, which their own clocks need not: a lease that each
 * holder timed by its own clock could look free to a replica whose clock runs ahead while its holder still counts on
 * it. So whatever decides who holds something (a lease, a task's claim) reads time here, in its transaction.
 */
@Singleton
public class DatabaseClock {

    private final JdbcOperations jdbc;

    DatabaseClock(JdbcOperations jdbc) {
        this.jdbc = jdbc;
    }

    /** The database's time now (in PostgreSQL, the start of the current transaction, or of its own). */
    @Transactional
    public Instant now() {
        return jdbc.prepareStatement("SELECT CURRENT_TIMESTAMP", statement -> {
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getObject(1, OffsetDateTime.class).toInstant();
            }
        });
    }
}

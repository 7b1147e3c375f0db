package io.biu.scheduler.event;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface EventRepository extends CrudRepository<Event, Long> {

    /**
     * The next sequence number. The UPDATE locks the counter row until the calling transaction ends, so
     * numbers are handed out, and become visible, strictly in order.
     */
    @Query("UPDATE event_counter SET last_seq = last_seq + 1 WHERE id = 1")
    void bumpCounter();

    @Query("SELECT last_seq FROM event_counter WHERE id = 1")
    long counter();

    @Query("SELECT * FROM event WHERE published = FALSE ORDER BY seq LIMIT :limit")
    List<Event> unpublished(int limit);

    @Query("UPDATE event SET published = TRUE WHERE seq <= :seq AND published = FALSE")
    void markPublished(long seq);

    @Query("SELECT COUNT(*) > 0 FROM event WHERE published = TRUE")
    boolean anyPublished();

    /** Marks every event unpublished, so the relay sends the whole history again. */
    @Query("UPDATE event SET published = FALSE WHERE published = TRUE")
    void unpublishAll();

    @Query("SELECT * FROM event WHERE seq > :after ORDER BY seq LIMIT :limit")
    List<Event> after(long after, int limit);

    @Query("SELECT * FROM event WHERE seq > :after AND tenant = :tenant ORDER BY seq LIMIT :limit")
    List<Event> afterForTenant(long after, String tenant, int limit);
}

package io.biu.redisctl.task;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TaskRepository extends CrudRepository<Task, Long> {

    /**
     * The oldest open task that is none of {@code excluded} (which must not be empty) and that nobody holds, locked;
     * others skip it. A task nobody claimed yet is runnable, as is one released for a retry once its backoff
     * ({@code lease_until}) is before {@code now}; a task still under a claim whose lease lapsed is runnable only once
     * its {@code lease_until} is before {@code lapsedBefore} (now less the takeover grace), so that its holder, which
     * stops acting by its own clock before {@code lease_until} ({@link ClaimFence}), has stopped before anyone starts.
     */
    @Query("SELECT * FROM task WHERE state IN ('PENDING', 'RUNNING') AND (lease_until IS NULL"
            + " OR (claim_id IS NULL AND holder IS NULL AND lease_until < :now) OR lease_until < :lapsedBefore)"
            + " AND id NOT IN (:excluded) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
    Optional<Task> findRunnable(Instant now, Instant lapsedBefore, Collection<Long> excluded);

    @Query("SELECT * FROM task WHERE id = :id FOR UPDATE")
    Optional<Task> findByIdForUpdate(long id);

    @Query("SELECT * FROM task WHERE cluster_id = :clusterId AND state IN ('PENDING', 'RUNNING')")
    List<Task> findOpen(long clusterId);

    List<Task> findByClusterIdOrderByIdDesc(long clusterId);
}

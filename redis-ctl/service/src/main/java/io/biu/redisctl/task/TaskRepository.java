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
     * The oldest open task whose lease has lapsed (or was never taken) and that is none of {@code excluded} (which must
     * not be empty), locked; others skip it.
     */
    @Query("SELECT * FROM task WHERE state IN ('PENDING', 'RUNNING') AND (lease_until IS NULL OR lease_until < :now)"
            + " AND id NOT IN (:excluded) ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")
    Optional<Task> findRunnable(Instant now, Collection<Long> excluded);

    @Query("SELECT * FROM task WHERE id = :id FOR UPDATE")
    Optional<Task> findByIdForUpdate(long id);

    @Query("SELECT * FROM task WHERE cluster_id = :clusterId AND state IN ('PENDING', 'RUNNING')")
    List<Task> findOpen(long clusterId);

    List<Task> findByClusterIdOrderByIdDesc(long clusterId);
}

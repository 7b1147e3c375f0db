package io.biu.redisctl.backup;

import io.biu.redisctl.client.BackupState;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface BackupRepository extends CrudRepository<Backup, Long> {

    List<Backup> findByClusterIdOrderByIdDesc(long clusterId);

    List<Backup> findByClusterIdAndState(long clusterId, BackupState state);

    /** Open restores that read this backup: it is not deleted under them. */
    @Query("SELECT COUNT(*) FROM task WHERE kind = 'RESTORE' AND subject = :backup AND state IN ('PENDING', 'RUNNING')")
    long countOpenRestores(long backup);
}

package io.biu.scheduler.app;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AppFileRepository extends CrudRepository<AppFile, Long> {

    List<AppFile> findByAppId(long appId);

    void deleteByAppId(long appId);
}

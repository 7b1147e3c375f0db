package io.biu.redisctl.backup;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ScheduleRepository extends CrudRepository<Schedule, Long> {

    List<Schedule> findByNextAtLessThanEquals(Instant now);
}

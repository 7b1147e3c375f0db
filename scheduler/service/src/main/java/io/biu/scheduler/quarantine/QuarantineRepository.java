package io.biu.scheduler.quarantine;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface QuarantineRepository extends CrudRepository<Quarantined, Long> {

    List<Quarantined> findByNodeId(long nodeId);

    List<Quarantined> findAllOrderById();
}

package io.biu.redismonitor.scaling;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface DecisionRepository extends CrudRepository<DecisionRow, Long> {

    Optional<DecisionRow> findFirstByClusterIdOrderByIdDesc(long clusterId);

    List<DecisionRow> findByClusterIdAndTenantOrderByIdDesc(long clusterId, String tenant, Pageable page);

    List<DecisionRow> findByTenantOrderByIdDesc(String tenant, Pageable page);

    List<DecisionRow> findByTenantAndClusterOrderByIdDesc(String tenant, String cluster, Pageable page);
}

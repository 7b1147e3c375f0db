package io.biu.redisctl.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClusterRepository extends CrudRepository<Cluster, Long> {

    List<Cluster> findByTenantOrderById(String tenant);

    List<Cluster> findAllOrderById();

    Optional<Cluster> findByTenantAndName(String tenant, String name);

    @Query("SELECT * FROM cluster WHERE id = :id FOR UPDATE")
    Optional<Cluster> findByIdForUpdate(long id);
}

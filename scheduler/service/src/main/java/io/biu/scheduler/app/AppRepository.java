package io.biu.scheduler.app;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AppRepository extends CrudRepository<App, Long> {

    Optional<App> findByTenantAndName(String tenant, String name);

    List<App> findByTenantOrderByName(String tenant);

    List<App> findAllOrderById();

    @Query("SELECT COUNT(*) FROM container WHERE app_id = :appId")
    long countContainers(long appId);
}

package io.biu.scheduler.container;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ContainerRepository extends CrudRepository<Container, Long> {

    /** Every container holding resources in a pod, whatever its state. */
    List<Container> findByPod(String pod);

    @io.micronaut.data.annotation.Query("SELECT * FROM container WHERE id = :id FOR UPDATE")
    java.util.Optional<Container> findByIdForUpdate(long id);

    List<Container> findByAppIdOrderById(long appId);

    List<Container> findByTenantOrderById(String tenant);

    List<Container> findAllOrderById();

    List<Container> findByNodeId(long nodeId);

    long countByAppId(long appId);

    long countByNodeId(long nodeId);
}

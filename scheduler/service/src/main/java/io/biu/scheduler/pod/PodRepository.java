package io.biu.scheduler.pod;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PodRepository extends CrudRepository<Pod, String> {

    List<Pod> findAllOrderByName();

    @Query("SELECT COUNT(*) FROM node WHERE pod = :name")
    long countNodes(String name);

    @Query("SELECT COUNT(*) FROM app WHERE pod = :name")
    long countApps(String name);

    /**
     * The pod row, locked until the transaction ends: every reservation in a pod takes this lock first, so
     * planning sees every earlier reservation and addresses are handed out once.
     */
    @Query("SELECT * FROM pod WHERE name = :name FOR UPDATE")
    Optional<Pod> findByNameForUpdate(String name);
}

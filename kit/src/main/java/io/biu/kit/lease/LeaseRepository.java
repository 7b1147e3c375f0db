package io.biu.kit.lease;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface LeaseRepository extends CrudRepository<Lease, String> {

    @Query("SELECT * FROM lease WHERE name = :name FOR UPDATE")
    Optional<Lease> findByNameForUpdate(String name);
}

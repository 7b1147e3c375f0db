package io.biu.scheduler.quota;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface QuotaRepository extends CrudRepository<Quota, String> {

    /**
     * The tenant's quota, locked until the transaction ends: a reservation takes it after its pod's row, so two
     * reservations of one tenant in different pods are counted one after the other.
     */
    @Query("SELECT * FROM tenant_quota WHERE tenant = :tenant FOR UPDATE")
    Optional<Quota> findByTenantForUpdate(String tenant);

    List<Quota> findAllOrderByTenant();
}

package io.biu.redisctl.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantLockRepository extends CrudRepository<TenantLock, String> {

    /** The tenant's row, locked until the transaction ends; made first with {@code save} if absent. */
    @Query("SELECT * FROM tenant_lock WHERE tenant = :tenant FOR UPDATE")
    Optional<TenantLock> findByTenantForUpdate(String tenant);
}

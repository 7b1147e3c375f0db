package io.biu.admin.endpoint;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface EndpointRepository extends CrudRepository<Endpoint, Long> {

    List<Endpoint> findByTenantOrderById(String tenant);

    long countByTenant(String tenant);

    List<Endpoint> findByTenantAndClusterIdOrderById(String tenant, long clusterId);

    Optional<Endpoint> findByTenantAndClusterId(String tenant, long clusterId);

    /** Replaces the certificate alone, leaving every other column as it is now. */
    @Query("UPDATE endpoint SET certificate = :certificate, updated_at = :updatedAt WHERE id = :id")
    void updateCertificate(long id, String certificate, Instant updatedAt);
}

package io.biu.redisctl.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InstanceRepository extends CrudRepository<Instance, Long> {

    List<Instance> findByClusterIdOrderByShardAndRoleAndId(long clusterId);

    Optional<Instance> findByContainerId(long containerId);

    void deleteByClusterId(long clusterId);
}

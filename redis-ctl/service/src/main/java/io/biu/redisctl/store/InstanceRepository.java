package io.biu.redisctl.store;

import io.biu.redisctl.client.InstanceState;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface InstanceRepository extends CrudRepository<Instance, Long> {

    List<Instance> findByClusterIdOrderByShardAndRoleAndId(long clusterId);

    Optional<Instance> findByContainerId(long containerId);

    List<Instance> findByStateOrderById(InstanceState state);

    void deleteByClusterId(long clusterId);
}

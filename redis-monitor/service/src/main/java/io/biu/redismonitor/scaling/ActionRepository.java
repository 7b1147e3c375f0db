package io.biu.redismonitor.scaling;

import io.biu.redismonitor.client.ActionState;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface ActionRepository extends CrudRepository<Action, Long> {

    List<Action> findByState(ActionState state);

    Optional<Action> findFirstByClusterIdAndStateOrderByIdDesc(long clusterId, ActionState state);

    List<Action> findByClusterIdOrderByIdDesc(long clusterId);

    @Query("SELECT * FROM action WHERE cluster_id = :clusterId AND state = 'RUNNING' FOR UPDATE")
    List<Action> findRunningForUpdate(long clusterId);
}

package io.biu.scheduler.node;

import io.biu.scheduler.client.NodeState;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NodeRepository extends CrudRepository<Node, Long> {

    Optional<Node> findByName(String name);

    boolean existsByName(String name);

    List<Node> findByPodOrderById(String pod);

    List<Node> findAllOrderById();

    long countByPod(String pod);

    @Query("SELECT COUNT(*) FROM container WHERE node_id = :id")
    long countContainers(long id);

    @Query("UPDATE node SET lease_expires = :until WHERE id = :id")
    void renewLease(long id, java.time.Instant until);

    @Query("UPDATE node SET state = :state WHERE id = :id")
    void updateState(long id, NodeState state);

    @Query("SELECT * FROM node WHERE id = :id FOR UPDATE")
    Optional<Node> lock(long id);

    /** Locks the given nodes' rows, always in id order so that concurrent transactions cannot deadlock. */
    @Query("SELECT * FROM node WHERE id IN (:ids) ORDER BY id FOR UPDATE")
    List<Node> lockAll(Collection<Long> ids);
}

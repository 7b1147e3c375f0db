package io.biu.scheduler.volume;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface VolumeRepository extends CrudRepository<Volume, Long> {

    List<Volume> findByAppIdOrderById(long appId);

    List<Volume> findByAppIdAndKeyOrderById(long appId, String key);

    /** A node's volumes whose removal waits for it. */
    List<Volume> findByNodeIdAndRemovalRequestedAtIsNotNullOrderById(long nodeId);

    /** Marks the live volumes of an app's key for removal. */
    @Query("UPDATE volume SET removal_requested_at = :at WHERE app_id = :appId AND volume_key = :key "
            + "AND removal_requested_at IS NULL")
    void markKeyForRemoval(long appId, String key, Instant at);

    /** Marks every live volume of an app for removal. */
    @Query("UPDATE volume SET removal_requested_at = :at WHERE app_id = :appId AND removal_requested_at IS NULL")
    void markAppForRemoval(long appId, Instant at);

    /** Drops the record of a removed volume, if its removal is still what it waits for. */
    @Query("DELETE FROM volume WHERE id = :id AND removal_requested_at IS NOT NULL")
    void deleteRemoved(long id);
}

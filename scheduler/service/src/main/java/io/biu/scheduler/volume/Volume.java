package io.biu.scheduler.volume;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;

/**
 * One engine volume of an app's key on a node: made when a container of the key is first placed there, kept when its
 * containers go, removed only when the key's volumes (or the app) are deleted.
 *
 * @param engineName         the engine's name for it, see {@link VolumeNames#engineName}
 * @param removalRequestedAt when its removal was asked for, while its node has not confirmed it; null for a live one
 */
@MappedEntity("volume")
public record Volume(
        @Id @GeneratedValue @Nullable Long id,
        long appId,
        String tenant,
        @MappedProperty("volume_key") String key,
        long nodeId,
        String node,
        String engineName,
        Instant createdAt,
        @Nullable Instant removalRequestedAt) {

    /** Its removal was asked for and waits for its node. */
    public boolean removalPending() {
        return removalRequestedAt != null;
    }
}
